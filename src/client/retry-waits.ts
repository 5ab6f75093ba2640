import type { RecordedAttempt } from './attempt.js';
import { type BackoffSchedule, baseDelayMs } from './backoff-delay.js';
import type { RetryRuleSet } from './retry-rules.js';

/** The schedule's wait before retry `n` (1-based) without its cap: `base × factor^(n−1)`. */
export const uncappedDelayMs = (schedule: BackoffSchedule, n: number): number => schedule.baseDelayMs * schedule.factor ** (n - 1);

/** How long a wait was: from the answer the client retried after to the retry. */
export const waitedMs = (previous: RecordedAttempt, retry: RecordedAttempt): number => retry.atMs - previous.respondedAtMs;

/** The idempotency key of a request: the rules' header, else what the recorder noted. */
export function idempotencyKeyOf(attempt: RecordedAttempt, rules: RetryRuleSet): string | undefined {
  const header = (rules.idempotencyHeader ?? 'idempotency-key').toLowerCase();
  return attempt.headers[header] ?? attempt.idempotencyKey;
}

/**
 * The longest wait the rules allow before retry `n` after `previous`: `retry-after` (plus the unscheduled
 * wait as slack), else the schedule's wait with jitter (without its cap, so an uncapped client is still
 * read as retrying), else the unscheduled wait. Grouping uses it to tell a slow retry from a new call.
 */
export function longestAllowedWaitMs(rules: RetryRuleSet, previous: RecordedAttempt, n: number): number {
  if (previous.retryAfterSeconds !== undefined && rules.honourRetryAfter) return previous.retryAfterSeconds * 1000 + rules.unscheduledWaitMs;
  if (rules.backoff) return Math.max(baseDelayMs(rules.backoff, n), uncappedDelayMs(rules.backoff, n)) + rules.backoff.jitterMs + rules.toleranceMs;
  return rules.unscheduledWaitMs + rules.toleranceMs;
}
