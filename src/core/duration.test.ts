import { describe, expect, it } from 'vitest';
import { formatDurationLong, parseDurationMs, requireDurationMs } from './duration.js';

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
    expect(() => requireDurationMs('1 minutee', 'the env var RATE_LIMIT_WINDOW')).toThrow(/RATE_LIMIT_WINDOW: "1 minutee" is not a duration/);
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
