import { backoffTooFast, backoffTooSlow, backoffUncapped } from './checks/backoff-checks.js';
import { idempotencyKeyChanged, retryBodyChanged, writeRetriedWithoutKey } from './checks/idempotency-checks.js';
import { noJitter } from './checks/no-jitter-check.js';
import { noPacing } from './checks/pacing-check.js';
import { hammeringAfter429, retryBeforeRetryAfter } from './checks/retry-after-checks.js';
import type { RetryCheck } from './checks/retry-check.js';
import { attemptsOverCap, rateLimitNotRetried, retriedNonRetryable, serverErrorNotRetried } from './checks/retry-decision-checks.js';

export type { RetryCheck, RetryCheckInput, RetryFinding } from './checks/retry-check.js';

/** Every retry check, in the order a report lists them. A rule set switches each on or off by its parameter. */
export const RETRY_CHECKS: readonly RetryCheck[] = [
  retryBeforeRetryAfter,
  attemptsOverCap,
  backoffTooFast,
  backoffTooSlow,
  backoffUncapped,
  noJitter,
  rateLimitNotRetried,
  serverErrorNotRetried,
  retriedNonRetryable,
  writeRetriedWithoutKey,
  idempotencyKeyChanged,
  retryBodyChanged,
  hammeringAfter429,
  noPacing,
];
