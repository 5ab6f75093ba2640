import type { BudgetEntry, BudgetStore, MaybePromise, StoreRule } from './budget-store.js';
import type { Clock } from './clock.js';
import type { Decision } from './decision.js';
import type { LimitPolicy, Stacking } from './policy.js';

/** Spends and reads budgets on an injected store and clock, one store call per request. */
export interface Limiter {
  /** One decision per entry (see BudgetStore.consume); synchronous when the store is. */
  consume(entries: readonly BudgetEntry[]): MaybePromise<Decision[]>;
  peek(entries: readonly BudgetEntry[]): MaybePromise<Decision[]>;
}

/** The rule a store applies for a limit. */
export const storeRule = (limit: Pick<LimitPolicy, 'limit' | 'windowMs' | 'algorithm'>): StoreRule => ({
  limit: limit.limit,
  windowMs: limit.windowMs,
  algorithm: limit.algorithm,
});

/**
 * Creates the limiter: the store, read at the clock's time, with the policy's stacking.
 * @example createLimiter(store, clock).consume([{ key: 'ip:192.0.2.1', rule: storeRule(policy.limits[0]), cost: 1 }])
 */
export function createLimiter(store: BudgetStore, clock: Clock, stacking: Stacking = 'atomic'): Limiter {
  return {
    consume: (entries) => store.consume(entries, clock.now(), stacking),
    peek: (entries) => store.peek(entries, clock.now()),
  };
}
