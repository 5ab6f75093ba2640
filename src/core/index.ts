// The pure core's public surface, by name: what a user needs to read a policy, key and spend budgets on
// their own store, and write the headers and bodies. Helpers the core uses internally stay unexported.
export { ALGORITHMS } from './algorithms/index.js';
export type { BudgetStore, MaybePromise, StoreRule } from './budget-store.js';
export { type Clock, type ControllableClock, createControllableClock, systemClock } from './clock.js';
export type { BudgetAlgorithm, Decision, LimitRule } from './decision.js';
export { formatDurationLong, parseDurationMs, requireDurationMs } from './duration.js';
export { isUserError, RateLimitContractError, type RateLimitContractErrorCode } from './errors.js';
export { createKeyResolver, type KeyResolver, type KeyResolverOptions, type PrincipalIndex, type RequestHeaders } from './key-resolver.js';
export { createLimiter, type Limiter } from './limiter.js';
export { applyOverrides, findPolicyProblems, type PolicyOverrides, type PolicyProblem, parsePolicy, readEnvOverrides } from './parse-policy.js';
export { compilePathPattern, compilePathPatterns, type PathMatcher } from './path-pattern.js';
export type { Algorithm, HeaderNames, KeyRule, RateLimitPolicy } from './policy.js';
export { policyJsonSchema } from './policy-schema.js';
export { buildPrincipalIndex, type PrincipalCredentials } from './principal-index.js';
export { rateLimitHeaders, toWholeSeconds } from './rate-limit-headers.js';
export { createRejectionBody } from './rejection-body.js';
export { parseRequestTarget, type RequestTarget } from './request-target.js';
export { createScopeClassifier, type ScopeVerdict } from './scope.js';
