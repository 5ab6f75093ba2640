import { describe, expect, test } from 'vitest';
import type { RecordedAttempt } from '../attempt.js';
import { AUTHMATECH_BACKOFF, backoffDelayMs } from '../backoff-delay.js';
import { findRetryViolations } from '../retry-assertions.js';
import { jitterJudgement } from './no-jitter-check.js';

/** One chain of 429s whose waits are `waits`, then a 200. */
function chainWithWaits(waits: readonly number[]): RecordedAttempt[] {
  let atMs = 0;
  const attempts: RecordedAttempt[] = [];
  for (const [i, wait] of [...waits, undefined].entries()) {
    attempts.push({
      seq: i + 1,
      atMs,
      respondedAtMs: atMs,
      method: 'GET',
      url: 'https://x.test/v1/x',
      path: '/v1/x',
      headers: {},
      status: wait === undefined ? 200 : 429,
    });
    atMs += wait ?? 0;
  }
  return attempts;
}
const flags = (waits: readonly number[]) => findRetryViolations(chainWithWaits(waits), 'authmatech').some((v) => v.check === 'no-jitter');

describe('no-jitter: the rule and its false-positive rate', () => {
  test('under fake timers it needs 3 waits on the schedule or 4 at one offset; a correct client is flagged with ≤ 1.25e-7 each', () => {
    const judgement = jitterJudgement(100, 0, 1e-6);
    expect(judgement).toMatchObject({ hitProbability: 1 / 200, onScheduleWaits: 3, sameOffsetWaits: 4 });
    expect(judgement.falsePositiveRate.onSchedule).toBeCloseTo(1.25e-7, 12);
    expect(judgement.falsePositiveRate.sameOffset).toBeCloseTo(1.25e-7, 12);
  });

  test('with a real clock the tolerance widens the band, so it needs more waits to keep the same rate', () => {
    expect(jitterJudgement(100, 20, 1e-6)).toMatchObject({ onScheduleWaits: 9, sameOffsetWaits: 13 });
    expect(jitterJudgement(100, 100, 1e-6).onScheduleWaits).toBe(Number.POSITIVE_INFINITY);
  });

  test('fires on 1000/2000/4000 and on a constant offset over 4 waits; not on 2 waits or on real jitter', () => {
    expect(flags([1000, 2000, 4000])).toBe(true);
    expect(flags([1000, 2000])).toBe(false);
    expect(flags([950, 1950, 3950])).toBe(false);
    expect(flags([950, 1950, 3950, 7950])).toBe(true);
    expect(flags([1037, 1912, 4066])).toBe(false);
  });

  test('the model holds for Authmatech’s own snippet: one wait lands on the schedule about 1 time in 200', () => {
    const samples = 400_000;
    let onSchedule = 0;
    for (let i = 0; i < samples; i += 1) if (backoffDelayMs(AUTHMATECH_BACKOFF, 1, Math.random) === 1000) onSchedule += 1;
    // Binomial(400 000, 1/200): mean 2000, sd ≈ 44.6; ±6 sd keeps this from ever failing by chance.
    expect(Math.abs(onSchedule - samples / 200)).toBeLessThan(6 * Math.sqrt(samples * (1 / 200) * (199 / 200)));
  });

  test('2 000 logs of a correctly jittered client (3 and 4 waits) are never flagged', () => {
    let flagged = 0;
    for (let i = 0; i < 1_000; i += 1) {
      for (const retries of [3, 4]) {
        const waits = Array.from({ length: retries }, (_, n) => backoffDelayMs(AUTHMATECH_BACKOFF, n + 1, Math.random));
        if (flags(waits)) flagged += 1;
      }
    }
    // Expected flags: 1 000 × (1.25e-7 + 2.5e-7) ≈ 0.0004.
    expect(flagged).toBe(0);
  });
});
