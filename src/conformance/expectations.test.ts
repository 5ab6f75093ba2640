import { describe, expect, it } from 'vitest';
import type { CheckContext } from './check-context.js';
import type { Exchange } from './conformance-check.js';
import { mostSecondsLeft, secondsDiagnosis } from './expectations.js';

const ctx = { policy: { windowMs: 2000 } } as CheckContext;
const at = (sentAtMs: number, receivedAtMs: number) => ({ sentAtMs, receivedAtMs }) as Exchange;

describe('mostSecondsLeft: the window, or one second more while round trips allow it', () => {
  it('allows window + 1 on the first response of a window (a limiter clock a fraction of a ms ahead, rounded up)', () => {
    // koa-ratelimit: reset 2000.5 ms ahead of Date.now(), ceil → 3 for a 2 s window (a CI run, 2026-12-01).
    expect(mostSecondsLeft(ctx, at(0, 4), at(0, 4))).toBe(3);
  });
  it('allows only the window once the round trips leave no room for a whole second more', () => {
    expect(mostSecondsLeft(ctx, at(0, 4), at(1200, 1204))).toBe(2);
  });
  it('never allows less than the window, so a late response is held to no tighter bound than before', () => {
    expect(mostSecondsLeft(ctx, at(0, 4), at(1900, 1904))).toBe(2);
  });
  it('allows only the window on a round trip of no time', () => {
    expect(mostSecondsLeft(ctx, at(0, 0), at(0, 0))).toBe(2);
  });
});

describe('secondsDiagnosis', () => {
  it('names milliseconds only where the value is near the window in ms, not one second over the window', () => {
    expect(secondsDiagnosis(2000, 2000, Date.now())).toBe('looks like milliseconds, not seconds');
    expect(secondsDiagnosis(4, 2000, Date.now())).toBe('is outside the window');
    expect(secondsDiagnosis(Math.floor(Date.now() / 1000), 2000, Date.now())).toMatch(/epoch timestamp in seconds/);
  });
});
