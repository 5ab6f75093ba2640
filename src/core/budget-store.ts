import type { ControllableClock } from './clock.js';
import type { Decision, LimitRule } from './decision.js';
import type { Algorithm, Stacking } from './policy.js';

/** The rule a store applies to a key: the algorithm by name plus its numbers. */
export interface StoreRule extends LimitRule {
  algorithm: Algorithm;
}

/** One budget a request spends on: the store key (one per limit and client), its rule, and the units. */
export interface BudgetEntry {
  key: string;
  rule: StoreRule;
  /** Units to spend, a whole number ≥ 0 (1 for a plain request). */
  cost: number;
}

/** A store's answer: a promise (a shared store, e.g. Redis), or the value itself when it is at hand. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Where budgets live. A request that spends on several limits is ONE `consume` call, atomic as a whole
 * (a Redis store runs it as one script, one round trip), so that no other request sees half of it:
 *
 * - `atomic` (the default): every entry is checked; if each fits, each is spent; if any does not, nothing
 *   is spent anywhere.
 * - `in-order`: entries are taken in order, as stacked middlewares run: each that fits is spent, up to the
 *   first that does not; it and every entry after it are not spent.
 *
 * The answer is one decision per entry, in order: after the spend for a spent entry, as it stands (with
 * `allowed` saying whether its cost would fit) for one that was not. The request was allowed when every
 * decision is. Keys within one call are distinct. A rejected request stores nothing; it only marks its
 * keys as used (for least-recently-used eviction). As express-rate-limit's `Store.increment`, a store may
 * answer synchronously (the in-memory ones do), which spares the mock's hot path a promise per request;
 * callers handle both. Every store passes test/budget-store-contract.test.ts.
 */
export interface BudgetStore {
  consume(entries: readonly BudgetEntry[], nowMs: number, stacking?: Stacking): MaybePromise<Decision[]>;
  /** Reads budgets without spending them: `allowed` says whether each entry's cost would fit. */
  peek(entries: readonly BudgetEntry[], nowMs: number): MaybePromise<Decision[]>;
  resetKey(key: string): Promise<void>;
  resetAll(): Promise<void>;
  /** Lists the keys that have live state (for the control API); may be capped. */
  keys(max: number): Promise<string[]>;
  /** Stops timers and connections. */
  close(): Promise<void>;
  /**
   * A store shared by several processes (Redis, the primary of `--workers`) keeps the time itself, so that
   * every replica decides on one clock: the engine reads this clock, and `consume` and `peek` ignore `nowMs`.
   */
  readonly clock?: ControllableClock;
  /** Idempotency records kept beside the budgets, so that a retry landing on another replica replays. */
  readonly records?: RecordStore;
  /** What the mock's banner says of the store, e.g. `redis://127.0.0.1:6379/0 (prefix rlc:)`. */
  readonly label?: string;
}

/**
 * Idempotency records as a shared store keeps them: per (owner, Idempotency-Key), the first answer as text.
 * The engine decides what a record means (engine/idempotency-records.ts); the store only keeps it.
 */
export interface RecordStore {
  /** Keeps `record` for (owner, key) unless a live record is there, which it answers instead: one atomic step. */
  putIfAbsent(owner: string, key: string, record: string): Promise<string | undefined>;
  /** Forgets every record. */
  clear(): Promise<void>;
}

/** The request a store's decisions answer: allowed, or the index of the first entry that did not fit. */
export function firstRejected(decisions: readonly Decision[]): number {
  for (let i = 0; i < decisions.length; i += 1) if (!(decisions[i] as Decision).allowed) return i;
  return -1;
}
