import type { BudgetStore, MaybePromise, StoreRule } from './budget-store.js';
import type { Clock } from './clock.js';
import type { Decision } from './decision.js';
import type { RateLimitPolicy } from './policy.js';

/** Spends and reads budgets for one policy on an injected store and clock. */
export interface Limiter {
  /** Synchronous when the store is (the in-memory one); await it either way. */
  consume(key: string): MaybePromise<Decision>;
  peek(key: string): MaybePromise<Decision>;
  readonly rule: StoreRule;
}

/** Creates the limiter; the rule is read from the policy once. */
export function createLimiter(policy: Pick<RateLimitPolicy, 'limit' | 'windowMs' | 'algorithm'>, store: BudgetStore, clock: Clock): Limiter {
  const rule: StoreRule = { limit: policy.limit, windowMs: policy.windowMs, algorithm: policy.algorithm };
  return {
    consume: (key) => store.consume(key, rule, clock.now()),
    peek: (key) => store.peek(key, rule, clock.now()),
    rule,
  };
}
