import { type ScheduledWait, scheduledWaits } from './backoff-checks.js';
import { label, type RetryCheck } from './retry-check.js';

/** How many waits `no-jitter` needs before it judges, and what that costs a correct client. */
export interface JitterJudgement {
  /** Chance that one wait of a correct client lands within the tolerance of the schedule: (2T + 1) / 2J. */
  hitProbability: number;
  /** Waits that must all sit on the schedule (|deviation| ≤ T) to fire. */
  onScheduleWaits: number;
  /** Waits that must all share one offset (spread ≤ 2T) to fire. */
  sameOffsetWaits: number;
  /** Upper bounds on flagging a correct client with exactly that many waits: p^k and 2J · p^m. */
  falsePositiveRate: { onSchedule: number; sameOffset: number };
}

/**
 * The no-jitter rule's numbers. A correct client's deviation from the schedule is uniform over the 2J
 * whole milliseconds of ±J (Authmatech's snippet: `Math.floor(Math.random() * 200) - 100`), so one wait
 * lands within T of the schedule with p = (2T + 1) / 2J, k waits all do with p^k, and m waits all share
 * one offset with at most 2J · p^m. k and m are the least counts that keep both under `maxRate`.
 * Under fake timers (T = 0, J = 100): p = 1/200, k = 3 (1.25e-7), m = 4 (1.25e-7).
 */
export function jitterJudgement(jitterMs: number, toleranceMs: number, maxRate: number): JitterJudgement {
  const slots = 2 * jitterMs;
  const p = Math.min(1, (2 * toleranceMs + 1) / slots);
  const needed = (scale: number) => (p >= 1 ? Number.POSITIVE_INFINITY : Math.max(2, Math.ceil(Math.log(maxRate / scale) / Math.log(p) - 1e-9)));
  const k = needed(1);
  const m = Math.max(k + 1, needed(slots));
  return { hitProbability: p, onScheduleWaits: k, sameOffsetWaits: m, falsePositiveRate: { onSchedule: p ** k, sameOffset: slots * p ** m } };
}

const describe = (waits: readonly ScheduledWait[]) => waits.map((w) => `${w.waitedMs}`).join(', ');

/** Waits that follow the schedule with no randomness: exactly on it, or all at one offset from it. */
export const noJitter: RetryCheck = {
  id: 'no-jitter',
  catches: 'waits with no randomness: every wait exactly on the schedule (1000, 2000, 4000 ms) or all at one offset from it; judged over the whole log',
  fix: 'add random jitter to every wait (Authmatech: ±100 ms, Math.floor(Math.random() * 200) - 100). If your test pins Math.random to a constant, feed it a sequence instead',
  source: 'the rules’ backoff jitter',
  appliesTo: (rules) => rules.backoff !== undefined && rules.backoff.jitterMs > 0 && rules.noJitterFalsePositiveRate !== false,
  find: (input) => {
    const { backoff, toleranceMs, noJitterFalsePositiveRate } = input.rules;
    if (!backoff || noJitterFalsePositiveRate === false) return [];
    const judgement = jitterJudgement(backoff.jitterMs, toleranceMs, noJitterFalsePositiveRate);
    const waits = scheduledWaits(input).filter((w) => w.verdict === 'on-schedule');
    const offsets = waits.map((w) => w.waitedMs - w.baseMs);
    const seqs = waits.flatMap((w) => [w.previous.seq, w.retry.seq]);
    const first = waits[0];
    if (!first) return [];
    if (waits.length >= judgement.onScheduleWaits && offsets.every((d) => Math.abs(d) <= toleranceMs)) {
      return [
        {
          message: `all ${waits.length} scheduled waits sat exactly on the schedule (${describe(waits)} ms, from ${label(first.retry)}): no jitter`,
          seqs,
        },
      ];
    }
    if (waits.length >= judgement.sameOffsetWaits && Math.max(...offsets) - Math.min(...offsets) <= 2 * toleranceMs) {
      return [{ message: `all ${waits.length} scheduled waits sat ${offsets[0]} ms off the schedule (${describe(waits)} ms): a constant, not jitter`, seqs }];
    }
    return [];
  },
};
