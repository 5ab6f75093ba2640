export { formatAttempts, isRetryableStatus, parseRetryAfterMs, type RecordedAttempt, sentAfterAnswer } from './attempt.js';
export { AUTHMATECH_BACKOFF, type BackoffSchedule, backoffDelayMs, baseDelayMs } from './backoff-delay.js';
export { type BackoffFetchOptions, createBackoffFetch, type RetryEvent } from './backoff-fetch.js';
export { type BudgetPacerOptions, createBudgetPacer, type ObservedResponse, type PaceEvent } from './budget-pacer.js';
export { type JitterJudgement, jitterJudgement } from './checks/no-jitter-check.js';
export { type ReportLimits, summariseAttempts } from './format-retry-report.js';
export { AUTHMATECH_RETRY_RULES, HTTP_RETRY_RULES, RECONLAYER_RETRY_RULES } from './profile-retry-rules.js';
export { createRecordingFetch, type FetchLike, type RecordingFetchOptions } from './recording-fetch.js';
export { type ClientPolicy, isRateLimited, readResponseBudget, rejectionStatuses, rejectionWaitMs } from './response-budget.js';
export { createRetryAfterFetch, type RetryAfterFetchOptions } from './retry-after-fetch.js';
export { assertRetryLog, findRetryViolations, formatRetryViolations, RetryLogError, type RetryViolation } from './retry-assertions.js';
export { analyseRetries, groupRetryChains, type RetryChain, type RetryGrouping } from './retry-chains.js';
export { RETRY_CHECKS, type RetryCheck, type RetryCheckInput, type RetryFinding } from './retry-checks.js';
export {
  type RetryCheckId,
  type RetryProfile,
  type RetryRuleSet,
  type RetryRules,
  type RetryRulesInput,
  resolveRetryRules,
  retryRulesFor,
} from './retry-rules.js';
export { loadRateLimitPolicy, retryRulesFromPolicy, retryRulesFromSpec, type SpecFacts } from './spec-retry-rules.js';
export { matchesStatus, type StatusPattern } from './status-patterns.js';
export { type WithBackoffOptions, withBackoff } from './with-backoff.js';
