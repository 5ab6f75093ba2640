import type { BackoffSchedule } from './backoff-delay.js';
import { AUTHMATECH_RETRY_RULES, HTTP_RETRY_RULES, RECONLAYER_RETRY_RULES } from './profile-retry-rules.js';
import type { StatusPattern } from './status-patterns.js';

/** Every check's id; each names the defect it finds. */
export type RetryCheckId =
  | 'retry-before-retry-after'
  | 'attempts-over-cap'
  | 'backoff-too-fast'
  | 'backoff-too-slow'
  | 'backoff-uncapped'
  | 'no-jitter'
  | '429-not-retried'
  | '5xx-not-retried'
  | 'retried-non-retryable'
  | 'non-idempotent-retry-without-key'
  | 'idempotency-key-changed'
  | 'retry-body-changed'
  | 'hammering-after-429'
  | 'no-pacing';

/**
 * How a retry log is judged: the numbers and switches one API's doc sets, each a named parameter. A rule
 * set is plain data (JSON-able), so it can be derived from a spec, changed one field at a time, or written
 * by hand. A parameter set to `undefined`, `false` or `[]` turns its check off.
 */
export interface RetryRuleSet {
  /** Whose rules these are (`Authmatech`, `ReconLayer`, your API); reports name it. */
  name: string;
  /** Answers after which sending the same request again is a retry: the chain stays open. */
  retryableStatuses: readonly StatusPattern[];
  /**
   * Answers the client must retry (`429-not-retried`, `5xx-not-retried`). A 429 must be retried whatever
   * the method; a 5xx only when repeating is safe: an idempotent method, or a request with an idempotency key.
   */
  mustRetryStatuses: readonly StatusPattern[];
  /** A client may give a 429 back instead of waiting when its `retry-after` asks for longer than this. */
  mayDeclineRetryAfterMs: number;
  /** Answers the client must not send again unchanged (`retried-non-retryable`). */
  neverRetryStatuses: readonly StatusPattern[];
  /** Most tries per logical request, the first included; undefined when the doc sets no cap. */
  maxAttempts: number | undefined;
  /** The schedule retries without `retry-after` follow; undefined when the doc gives none. */
  backoff: BackoffSchedule | undefined;
  /**
   * `no-jitter` judges the waits of the whole log so that a client jittering as the schedule asks is
   * flagged with at most this probability per log; `false` turns it off. See docs/client-testing.md.
   */
  noJitterFalsePositiveRate: number | false;
  /** Retries must wait at least what `retry-after` said (`retry-before-retry-after`). */
  honourRetryAfter: boolean;
  /** The least pause after a 429 without `retry-after` (`hammering-after-429`). */
  minPauseAfter429Ms: number;
  /** Requests of one budget inside a 429's pause that make hammering; 0 turns the check off. */
  hammerThreshold: number;
  /** The header that makes a write safe to retry; undefined when the API has none. */
  idempotencyHeader: string | undefined;
  /** Flag a client that spends `x-ratelimit-remaining` to 0 and then takes a 429 (`no-pacing`). */
  requirePacing: boolean;
  /** Grouping: a repeat later than this many times the longest wait the rules allow reads as a new call. */
  newCallFactor: number;
  /** Grouping: the wait assumed before a retry the rules give no schedule for (a 5xx under ReconLayer). */
  unscheduledWaitMs: number;
  /** Slack for real clocks (a live server); 0 under fake timers, where times are exact. */
  toleranceMs: number;
  /** The doc sentence each check enforces, by check id; a check without one quotes its generic source. */
  clauses: Readonly<Partial<Record<RetryCheckId, string>>>;
}

/** The earlier name of `RetryRuleSet`. */
export type RetryRules = RetryRuleSet;

/** The rule sets that ship, by profile name. */
export type RetryProfile = 'authmatech' | 'reconlayer' | 'http';

/** Rules by profile name, or your own: a profile's name, a whole rule set, or fields over the HTTP rules. */
export type RetryRulesInput = RetryProfile | Partial<RetryRuleSet>;

const PROFILES: Record<RetryProfile, Readonly<RetryRuleSet>> = {
  authmatech: AUTHMATECH_RETRY_RULES,
  reconlayer: RECONLAYER_RETRY_RULES,
  http: HTTP_RETRY_RULES,
};

/**
 * A profile's rules, with some parameters changed.
 * @example retryRulesFor('authmatech', { maxAttempts: 8 }); retryRulesFor('reconlayer', { requirePacing: false });
 */
export function retryRulesFor(profile: RetryProfile, overrides: Partial<RetryRuleSet> = {}): RetryRuleSet {
  const base = PROFILES[profile];
  if (!base) throw new TypeError(`Failed to find retry rules "${String(profile)}": the profiles are ${Object.keys(PROFILES).join(', ')}.`);
  return { ...base, ...overrides, clauses: { ...base.clauses, ...overrides.clauses } };
}

/** Resolves what `assertRetryLog` takes: a profile name, or fields laid over the plain HTTP rules. */
export function resolveRetryRules(input: RetryRulesInput | undefined): RetryRuleSet {
  if (input === undefined) return retryRulesFor('http');
  return typeof input === 'string' ? retryRulesFor(input) : retryRulesFor('http', input);
}
