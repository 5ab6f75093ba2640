import { AUTHMATECH_BACKOFF } from './backoff-delay.js';
import type { RetryRuleSet } from './retry-rules.js';

// Each parameter below cites the sentence it comes from; where a doc is silent, the HTTP rules apply.

const RFC_RETRY_AFTER = 'RFC 9110 §10.2.3: Retry-After says "how long the user agent ought to wait before making a follow-up request"';
const RFC_CLIENT_ERROR = 'RFC 9110 §15.5: a 4xx "indicates that the client seems to have erred"; sending the same request again gets the same answer';
const NEVER_RETRY = [400, 401, 403, 404, 405, 410, 422] as const;

/**
 * What HTTP itself asks of any client (RFC 9110): wait what `retry-after` says, do not repeat a request the
 * server called erroneous, and do not keep sending inside a 429's pause. No cap, schedule or pacing.
 */
export const HTTP_RETRY_RULES: Readonly<RetryRuleSet> = {
  name: 'HTTP',
  retryableStatuses: [408, 429, '5xx'],
  mustRetryStatuses: [],
  mayDeclineRetryAfterMs: 120_000,
  neverRetryStatuses: NEVER_RETRY,
  maxAttempts: undefined,
  backoff: undefined,
  noJitterFalsePositiveRate: false,
  honourRetryAfter: true,
  minPauseAfter429Ms: 1000,
  hammerThreshold: 2,
  idempotencyHeader: undefined,
  requirePacing: false,
  newCallFactor: 4,
  unscheduledWaitMs: 1000,
  toleranceMs: 0,
  clauses: {
    'retry-before-retry-after': RFC_RETRY_AFTER,
    'retried-non-retryable': RFC_CLIENT_ERROR,
    'hammering-after-429': RFC_RETRY_AFTER,
  },
};

const AUTHMATECH_RETRY = 'Authmatech: "Retry 429 (and 500) with exponential backoff and jitter"; its withBackoff retries every status from 500 up';
const AUTHMATECH_SCHEDULE = 'Authmatech: "Wait ~1 s after the first 429. Double the wait each attempt: 2 s → 4 s → 8 s …"';
const AUTHMATECH_CAPS = 'Authmatech: "Cap attempts (e.g. 5) and the maximum wait (e.g. 60 s)."';

/**
 * Authmatech ("Handling 429 with backoff"): retry 429 and 5xx after 1 s, 2 s, 4 s … capped at 60 s, ±100 ms
 * jitter, at most 5 attempts. Authmatech sends no budget headers, so pacing is not asked for.
 */
export const AUTHMATECH_RETRY_RULES: Readonly<RetryRuleSet> = {
  ...HTTP_RETRY_RULES,
  name: 'Authmatech',
  // "Retry 429 (and 500)"; the snippet retries `res.status >= 500`. We require what every real client
  // retries by default (500, 502, 503, 504) and let the rest of 5xx be retried or not.
  mustRetryStatuses: [429, 500, 502, 503, 504],
  maxAttempts: 5,
  backoff: AUTHMATECH_BACKOFF,
  noJitterFalsePositiveRate: 1e-6,
  // The schedule's shortest first wait: 1 s − 100 ms of jitter.
  minPauseAfter429Ms: AUTHMATECH_BACKOFF.baseDelayMs - AUTHMATECH_BACKOFF.jitterMs,
  clauses: {
    ...HTTP_RETRY_RULES.clauses,
    'attempts-over-cap': AUTHMATECH_CAPS,
    'backoff-too-fast': AUTHMATECH_SCHEDULE,
    'backoff-too-slow': AUTHMATECH_SCHEDULE,
    'backoff-uncapped': AUTHMATECH_CAPS,
    'no-jitter': 'Authmatech: "Add ±100 ms jitter so multiple clients don’t retry in lockstep."',
    '429-not-retried': AUTHMATECH_RETRY,
    '5xx-not-retried': AUTHMATECH_RETRY,
    'retried-non-retryable': 'Authmatech\'s withBackoff gives every other answer straight back: "if (res.status !== 429 && res.status < 500) return res;"',
    'hammering-after-429': 'Authmatech: "Requests are not queued or retried for you — your client owns the retry logic." "Wait ~1 s after the first 429."',
  },
};

const RECONLAYER_RETRY_AFTER =
  'ReconLayer: "Use the retry-after header (seconds) to decide how long to wait before your next request — don’t guess or use a fixed backoff that ignores it."';
const RECONLAYER_IDEMPOTENT_WRITES = 'ReconLayer: "For idempotent writes, retry with the same Idempotency-Key and request body after the indicated delay"';

/**
 * ReconLayer ("Handling 429s"): wait what `retry-after` says, retry writes with the same Idempotency-Key
 * and body, and slow down before `x-ratelimit-remaining` reaches 0. The doc sets no attempt cap and no
 * backoff schedule, so neither is checked.
 */
export const RECONLAYER_RETRY_RULES: Readonly<RetryRuleSet> = {
  ...HTTP_RETRY_RULES,
  name: 'ReconLayer',
  // Step 2, "Back off and retry", is about 429s; the doc asks nothing of 5xx.
  mustRetryStatuses: [429],
  idempotencyHeader: 'idempotency-key',
  // Step 4 is an instruction in the same numbered list as "Read retry-after": "Watch x-ratelimit-remaining
  // proactively. Slow down before you hit 0 rather than reacting only to 429s". The server sends the
  // remaining budget on every response for this, so the profile asks for it.
  requirePacing: true,
  clauses: {
    ...HTTP_RETRY_RULES.clauses,
    'retry-before-retry-after': RECONLAYER_RETRY_AFTER,
    '429-not-retried': 'ReconLayer: "Back off and retry"',
    'non-idempotent-retry-without-key': RECONLAYER_IDEMPOTENT_WRITES,
    'idempotency-key-changed': RECONLAYER_IDEMPOTENT_WRITES,
    'retry-body-changed': RECONLAYER_IDEMPOTENT_WRITES,
    'hammering-after-429': RECONLAYER_RETRY_AFTER,
    'no-pacing': 'ReconLayer: "Watch x-ratelimit-remaining proactively. Slow down before you hit 0 rather than reacting only to 429s"',
  },
};
