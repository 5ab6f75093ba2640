import type { Decision, LimitRule } from './decision.js';
import type { Algorithm } from './policy.js';

/** The rule a store applies to a key: the algorithm by name plus its numbers. */
export interface StoreRule extends LimitRule {
  algorithm: Algorithm;
}

/**
 * Where budgets live. Async so that a shared store (Redis, for several mock replicas) fits without
 * reshaping the limiter; each call must be atomic per key, as express-rate-limit's `Store.increment` is.
 */
export interface BudgetStore {
  /** Spends one request of `key`'s budget and says whether it was allowed. */
  consume(key: string, rule: StoreRule, nowMs: number): Promise<Decision>;
  /** Reads `key`'s budget without spending it. */
  peek(key: string, rule: StoreRule, nowMs: number): Promise<Decision>;
  resetKey(key: string): Promise<void>;
  resetAll(): Promise<void>;
  /** Lists the keys that have live state (for the control API); may be capped. */
  keys(max: number): Promise<string[]>;
  /** Stops timers and connections. */
  close(): Promise<void>;
}
