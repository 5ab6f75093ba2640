import type { BudgetAlgorithm, Decision, LimitRule } from '../decision.js';

/** A bucket of `limit` tokens refilled evenly over `windowMs`. */
export interface TokenBucketState {
  tokens: number;
  updatedMs: number;
}

function refill(state: TokenBucketState | undefined, rule: LimitRule, nowMs: number): number {
  if (!state) return rule.limit;
  const elapsed = Math.max(0, nowMs - state.updatedMs);
  return Math.min(rule.limit, state.tokens + (elapsed * rule.limit) / rule.windowMs);
}

function decide(tokens: number, rule: LimitRule, allowed: boolean, cost: number): Decision {
  const msPerToken = rule.windowMs / rule.limit;
  return {
    allowed,
    limit: rule.limit,
    remaining: Math.max(0, Math.floor(tokens)),
    resetMs: Math.ceil((rule.limit - tokens) * msPerToken),
    retryAfterMs: allowed ? 0 : Math.ceil((cost - tokens) * msPerToken),
  };
}

/**
 * Token bucket: bursts up to `limit`, then `limit` per `windowMs` on average; a request takes `cost`
 * tokens. Reset is the time to a full bucket; retry-after, the time until `cost` tokens are there.
 */
export const tokenBucket: BudgetAlgorithm<TokenBucketState> = {
  consume(state, rule, nowMs, cost = 1) {
    const tokens = refill(state, rule, nowMs);
    if (tokens < cost) return { state: undefined, decision: decide(tokens, rule, false, cost) };
    const left = tokens - cost;
    return { state: { tokens: left, updatedMs: nowMs }, decision: decide(left, rule, true, cost) };
  },
  peek(state, rule, nowMs, cost = 1) {
    const tokens = refill(state, rule, nowMs);
    return decide(tokens, rule, tokens >= cost, cost);
  },
  expiresAt: (state, rule) => state.updatedMs + Math.ceil(((rule.limit - state.tokens) * rule.windowMs) / rule.limit),
};
