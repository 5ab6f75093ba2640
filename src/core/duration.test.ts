import { describe, expect, it } from 'vitest';
import { describeDurationProblem, formatDurationLong, parseDurationMs, readDuration, requireDurationMs } from './duration.js';

describe('parseDurationMs', () => {
  it.each([
    ['1 minute', 60_000],
    ['1m', 60_000],
    ['10s', 10_000],
    ['2 seconds', 2_000],
    ['1500ms', 1_500],
    ['60000', 60_000],
    ['1.5h', 5_400_000],
    [' 2S ', 2_000],
  ])('%s → %i ms', (text, ms) => expect(parseDurationMs(text)).toBe(ms));
  it.each(['1 minutee', 'abc', '', '0s', '-1m', '1 fortnight', 'm'])('rejects %j', (text) => expect(parseDurationMs(text)).toBeUndefined());
  it('names where a bad value came from', () => {
    expect(() => requireDurationMs('1 minutee', 'the env var RATE_LIMIT_WINDOW')).toThrow(
      /RATE_LIMIT_WINDOW: "1 minutee" is not a duration: "minutee" is not a unit\. Use ms, s, m, h or d/,
    );
  });
});

describe('readDuration says what is wrong', () => {
  it.each([
    ['0s', 'must be positive'],
    ['0', 'must be positive'],
    ['-1m', 'must be positive'],
    ['- 5s', 'must be positive'],
    ['soon', 'is not a duration'],
    ['', 'is not a duration'],
    ['1 fortnight', 'is not a duration: "fortnight" is not a unit'],
    ['99999999999999 days', 'is too long'],
  ])('%j %s', (text, problem) => expect(readDuration(text)).toMatchObject({ problem }));

  it('reads a bare number as milliseconds and says it was bare', () => {
    expect(readDuration('60')).toEqual({ ms: 60, bare: true });
    expect(readDuration('60s')).toEqual({ ms: 60_000, bare: false });
  });

  it('refuses a bare number where a unit is required, and names the units to use', () => {
    expect(readDuration('10', { unit: 'required' })).toEqual({
      problem: 'has no unit',
      hint: 'Pass 10s for seconds, 10m for minutes or 10ms for milliseconds',
    });
    expect(() => requireDurationMs('10', '--window', { unit: 'required' })).toThrow(
      'Failed to read --window: "10" has no unit. Pass 10s for seconds, 10m for minutes or 10ms for milliseconds.',
    );
    expect(requireDurationMs('10s', '--window', { unit: 'required' })).toBe(10_000);
  });

  it('says "must be positive" for a zero window, wherever it came from', () => {
    expect(() => requireDurationMs('0s', 'the env var RATE_LIMIT_WINDOW')).toThrow(
      /RATE_LIMIT_WINDOW: "0s" must be positive\. Use a positive number with a unit/,
    );
    expect(describeDurationProblem('0s')).toBe('"0s" must be positive (use a positive number with a unit, such as 10s, 1m, "1 minute" or 1500ms)');
    expect(describeDurationProblem('1m')).toBeUndefined();
  });
});

describe('formatDurationLong (as @fastify/rate-limit words "retry in …")', () => {
  it.each([
    [60_000, '1 minute'],
    [38_000, '38 seconds'],
    [1_000, '1 second'],
    [90_000, '2 minutes'],
    [120_000, '2 minutes'],
    [3_600_000, '1 hour'],
    [500, '500 ms'],
  ])('%i ms → %s', (ms, text) => expect(formatDurationLong(ms)).toBe(text));
});
