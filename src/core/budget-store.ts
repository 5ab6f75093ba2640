import type { Decision, LimitRule } from './decision.js';
import type { Algorithm } from './policy.js';

/** The rule a store applies to a key: the algorithm by name plus its numbers. */
export interface StoreRule extends LimitRule {
  algorithm: Algorithm;
}

/** A store's answer: a promise (a shared store, e.g. Redis), or the value itself when it is at hand. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Where budgets live. Async so that a shared store (Redis, for several mock replicas) fits without
 * reshaping the limiter; each call must be atomic per key, as express-rate-limit's `Store.increment` is.
 * As there, `consume` and `peek` may also answer synchronously (the in-memory store does), which spares
 * the mock's hot path a promise per request; callers handle both.
 */
export interface BudgetStore {
  /** Spends one request of `key`'s budget and says whether it was allowed. */
  consume(key: string, rule: StoreRule, nowMs: number): MaybePromise<Decision>;
  /** Reads `key`'s budget without spending it. */
  peek(key: string, rule: StoreRule, nowMs: number): MaybePromise<Decision>;
  resetKey(key: string): Promise<void>;
  resetAll(): Promise<void>;
  /** Lists the keys that have live state (for the control API); may be capped. */
  keys(max: number): Promise<string[]>;
  /** Stops timers and connections. */
  close(): Promise<void>;
}
