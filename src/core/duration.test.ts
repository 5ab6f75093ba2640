import { describe, expect, it } from 'vitest';
import { describeDurationProblem, formatDurationLong, parseDurationMs, readDuration, requireDurationMs, requireWindowMs } from './duration.js';
import { optionLabel } from './option-names.js';

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
    expect(() => requireDurationMs('10', optionLabel('window', 'flags'), { unit: 'required' })).toThrow(
      'Failed to read --window: "10" has no unit. Pass 10s for seconds, 10m for minutes or 10ms for milliseconds.',
    );
    expect(() => requireDurationMs('10', optionLabel('window', 'options'), { unit: 'required' })).toThrow(
      'Failed to read the window option: "10" has no unit. Pass { window: "10s" } for seconds, { window: "10m" } for minutes, or { window: 10 } (a number) for milliseconds.',
    );
    expect(requireDurationMs('10s', optionLabel('window', 'flags'), { unit: 'required' })).toBe(10_000);
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

describe('requireWindowMs: a window option is a number of milliseconds or a string with a unit', () => {
  const window = optionLabel('window', 'options');
  it.each([
    [1500, 1500],
    ['2s', 2000],
    ['1 minute', 60_000],
  ])('%j → %i ms', (value, ms) => expect(requireWindowMs(value, window)).toBe(ms));
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the number %s, naming the option', (value) => {
    expect(() => requireWindowMs(value, window)).toThrow(`Failed to read the window option: ${value} is not a positive whole number of milliseconds.`);
  });
  it('refuses a string without a unit, on the command line too', () => {
    expect(() => requireWindowMs('10', window)).toThrow(/the window option: "10" has no unit/);
    expect(() => requireWindowMs('10', optionLabel('window', 'flags'))).toThrow(/--window: "10" has no unit/);
  });
});
