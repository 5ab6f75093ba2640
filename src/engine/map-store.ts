import { ALGORITHMS } from '../core/algorithms/index.js';
import type { BudgetEntry, BudgetStore, StoreRule } from '../core/budget-store.js';
import { consumeEntries } from '../core/consume-entries.js';
import type { Decision } from '../core/decision.js';

/** Options of the map store. */
export interface MapStoreOptions {
  /** Most keys kept at once; past it the least recently used key is evicted. */
  maxKeys?: number;
}

interface Entry {
  state: unknown;
  rule: StoreRule;
}

/** Oldest entries looked at per request for expiry: constant work, and a quiet store still empties itself. */
const EXPIRY_CHECKS = 2;

/**
 * A small `BudgetStore` that needs nothing from node (no timers to unref, no setImmediate): a Map of the
 * algorithms' states in least-recently-used order. Each state is dropped once its algorithm's `expiresAt`
 * has passed, checked as requests arrive, so it needs no background sweep. The engine uses it where node's
 * timers are missing (MSW's `setupWorker` in a browser); the memory store stays the default in node.
 * Synchronous, like the memory store, and proven against it by the store contract test.
 */
export function createMapStore(options: MapStoreOptions = {}): BudgetStore & { readonly size: number } {
  const maxKeys = Math.max(1, Math.floor(options.maxKeys ?? 100_000));
  const entries = new Map<string, Entry>();
  const live = (key: string, nowMs: number): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (ALGORITHMS[entry.rule.algorithm].expiresAt(entry.state, entry.rule) > nowMs) return entry;
    entries.delete(key);
    return undefined;
  };
  const dropExpired = (nowMs: number) => {
    let checked = 0;
    for (const key of entries.keys()) {
      if (checked++ >= EXPIRY_CHECKS) break;
      live(key, nowMs);
    }
  };
  const stateOf = (entry: Entry | undefined, rule: StoreRule) => (entry?.rule.algorithm === rule.algorithm ? entry.state : undefined);
  const step = {
    consume({ key, rule, cost }: BudgetEntry, nowMs: number): Decision {
      dropExpired(nowMs);
      const entry = live(key, nowMs);
      const { state, decision } = ALGORITHMS[rule.algorithm].consume(stateOf(entry, rule), rule, nowMs, cost);
      if (state === undefined) {
        if (entry) step.touch({ key, rule, cost }, nowMs);
        return decision;
      }
      entries.delete(key);
      if (entries.size >= maxKeys) entries.delete(entries.keys().next().value as string);
      entries.set(key, { state, rule });
      return decision;
    },
    peek({ key, rule, cost }: BudgetEntry, nowMs: number): Decision {
      return ALGORITHMS[rule.algorithm].peek(stateOf(live(key, nowMs), rule), rule, nowMs, cost);
    },
    /** A rejected request marks its key used: it moves to the end of the least-recently-used order. */
    touch({ key }: BudgetEntry, _nowMs: number): void {
      const entry = entries.get(key);
      if (entry === undefined) return;
      entries.delete(key);
      entries.set(key, entry);
    },
  };
  return {
    consume: (list, nowMs, stacking) => consumeEntries(list, nowMs, stacking, step),
    peek: (list, nowMs) => list.map((entry) => step.peek(entry, nowMs)),
    resetKey: async (key) => {
      entries.delete(key);
    },
    resetAll: async () => entries.clear(),
    keys: async (max) => [...entries.keys()].reverse().slice(0, max),
    close: async () => undefined,
    get size() {
      return entries.size;
    },
  };
}
