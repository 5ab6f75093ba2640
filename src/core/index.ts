// The pure core's public surface, by name: what a user needs to read a policy, key and spend budgets on
// their own store, and write and read the headers and bodies. Helpers the core uses internally stay unexported.
export { ALGORITHMS } from './algorithms/index.js';
export type { BudgetEntry, BudgetStore, MaybePromise, StoreRule } from './budget-store.js';
export { type Clock, type ControllableClock, createControllableClock, systemClock } from './clock.js';
export type { BudgetAlgorithm, Decision, LimitRule } from './decision.js';
export { formatDurationLong, parseDurationMs, requireDurationMs } from './duration.js';
export { isUserError, RateLimitContractError, type RateLimitContractErrorCode } from './errors.js';
export {
  type AnyHeaders,
  type BudgetSummary,
  createHeaderWriter,
  DEFAULT_HEADER_NAMES,
  detectRateLimitHeaders,
  formatDurationText,
  type HeaderGetter,
  type HeaderProblem,
  type HeaderReading,
  type HeaderSource,
  type HeaderWriter,
  headerGetter,
  type LimitReading,
  parseDurationText,
  type QuotaPolicyItem,
  type RejectionInfo,
  readRateLimitHeaders,
  readRetryAfter,
  type SentHeaderNames,
  sentHeaderNames,
  summariseReading,
  toWholeSeconds,
} from './headers/index.js';
export { createKeyResolver, type KeyResolver, type KeyResolverOptions, type PrincipalIndex, type RequestHeaders } from './key-resolver.js';
export { createLimiter, type Limiter, storeRule } from './limiter.js';
export { limitsFor, operationPolicyOf } from './operation-policy.js';
export { type OperationPlace, parseOperationPolicy } from './parse-operation-policy.js';
export { findOperationPolicyProblems, findPolicyProblems, type PolicyProblem, parsePolicy } from './parse-policy.js';
export { compilePathPattern, compilePathPatterns, type PathMatcher } from './path-pattern.js';
export type {
  Algorithm,
  Cost,
  HeaderFormat,
  HeaderNames,
  HeaderStyle,
  KeyRule,
  LimitPolicy,
  OperationPolicy,
  RateLimitPolicy,
  Rejection,
  ResetFormat,
  RetryAfterFormat,
  Stacking,
} from './policy.js';
export { applyOverrides, type PolicyOverrides, readEnvOverrides } from './policy-overrides.js';
export { policyJsonSchema } from './policy-schema.js';
export { buildPrincipalIndex, type PrincipalCredentials } from './principal-index.js';
export { createRejectionBody } from './rejection-body.js';
export { type CostSource, createCostReader } from './request-cost.js';
export { parseRequestTarget, type RequestTarget } from './request-target.js';
export { createScopeClassifier, type ScopeVerdict } from './scope.js';
export { type SingleLimitView, singleLimitView } from './single-limit-view.js';
