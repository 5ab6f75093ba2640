import { AUTHMATECH_BACKOFF, type BackoffSchedule } from './backoff-delay.js';

/** The numbers a retry log is checked against; each profile's doc sets them. */
export interface RetryRules {
  /** Most tries per logical request, the first included. */
  maxAttempts: number;
  /** The schedule that retries without `retry-after` must follow; undefined when the doc gives none. */
  backoff: BackoffSchedule | undefined;
  /** Least pause after a 429 that carries no `retry-after`. */
  minPauseAfter429Ms: number;
  /** Requests inside the pause a 429 asked for that count as hammering. */
  hammerThreshold: number;
  /** The header that makes a write safe to retry; undefined when the API has none. */
  idempotencyHeader: string | undefined;
  /** Slack for real clocks (live servers); 0 under fake timers, where times are exact. */
  toleranceMs: number;
}

/** Authmatech: "Wait ~1 s after the first 429 … Cap attempts (e.g. 5) … Add ±100 ms jitter". */
export const AUTHMATECH_RETRY_RULES: Readonly<RetryRules> = {
  maxAttempts: 5,
  backoff: AUTHMATECH_BACKOFF,
  minPauseAfter429Ms: AUTHMATECH_BACKOFF.baseDelayMs - AUTHMATECH_BACKOFF.jitterMs,
  hammerThreshold: 2,
  idempotencyHeader: undefined,
  toleranceMs: 0,
};

/** ReconLayer: "Use the retry-after header … retry with the same Idempotency-Key and request body". */
export const RECONLAYER_RETRY_RULES: Readonly<RetryRules> = {
  maxAttempts: 5,
  backoff: undefined,
  minPauseAfter429Ms: 1000,
  hammerThreshold: 2,
  idempotencyHeader: 'idempotency-key',
  toleranceMs: 0,
};

/** Rules by profile name, or a profile's rules with some numbers changed. */
export function retryRulesFor(profile: 'authmatech' | 'reconlayer', overrides: Partial<RetryRules> = {}): RetryRules {
  return { ...(profile === 'authmatech' ? AUTHMATECH_RETRY_RULES : RECONLAYER_RETRY_RULES), ...overrides };
}
