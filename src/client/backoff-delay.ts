/** The numbers of an exponential backoff schedule. */
export interface BackoffSchedule {
  /** Wait before the first retry. Authmatech: "Wait ~1 s after the first 429". */
  baseDelayMs: number;
  /** Multiplier per retry. Authmatech: "Double the wait each attempt: 2 s → 4 s → 8 s". */
  factor: number;
  /** Longest wait before jitter. Authmatech: "Cap … the maximum wait (e.g. 60 s)". */
  maxDelayMs: number;
  /** Jitter half-width. Authmatech: "Add ±100 ms jitter so multiple clients don't retry in lockstep". */
  jitterMs: number;
}

/** Authmatech's documented schedule: 1 s, 2 s, 4 s … capped at 60 s, ±100 ms. */
export const AUTHMATECH_BACKOFF: Readonly<BackoffSchedule> = { baseDelayMs: 1000, factor: 2, maxDelayMs: 60_000, jitterMs: 100 };

/** The un-jittered wait before retry number `retry` (1-based): `min(max, base × factor^(retry−1))`. */
export function baseDelayMs(schedule: BackoffSchedule, retry: number): number {
  return Math.min(schedule.maxDelayMs, schedule.baseDelayMs * schedule.factor ** (retry - 1));
}

/**
 * The wait before retry number `retry`, as Authmatech's snippet computes it: the capped base plus
 * `floor(random × 2·jitter) − jitter`, never below zero.
 * @example backoffDelayMs(AUTHMATECH_BACKOFF, 3, () => 0.5) // 4000
 */
export function backoffDelayMs(schedule: BackoffSchedule, retry: number, random: () => number): number {
  const jitter = schedule.jitterMs > 0 ? Math.floor(random() * 2 * schedule.jitterMs) - schedule.jitterMs : 0;
  return Math.max(0, baseDelayMs(schedule, retry) + jitter);
}

/** The default sleep: a timer read at call time, so `vi.useFakeTimers()` controls it. */
export const timerSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
