import { ALGORITHMS } from '../core/algorithms/index.js';
import type { BudgetStore, StoreRule } from '../core/budget-store.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';

/** Options of the in-process store. */
export interface MemoryStoreOptions {
  /** Most keys kept at once; past it the least recently used key is evicted. */
  maxKeys?: number;
  /** How often expired keys are swept (real time). */
  sweepIntervalMs?: number;
  clock?: Clock;
}

/** Default cap: 1,000,000 keys is well under 150 MB of state (see README "Bounded memory"). */
export const DEFAULT_MAX_KEYS = 1_000_000;

/** The default store: a Map in LRU order (re-inserted on every use), capped, with expired keys swept. */
export function createMemoryStore(options: MemoryStoreOptions = {}): BudgetStore & { readonly size: number; sweep(): number } {
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  const clock = options.clock ?? systemClock;
  const states = new Map<string, unknown>();
  let lastRule: StoreRule | undefined;

  const sweep = (): number => {
    const rule = lastRule;
    if (!rule) return 0;
    const algorithm = ALGORITHMS[rule.algorithm];
    const nowMs = clock.now();
    let removed = 0;
    for (const [key, state] of states) {
      if (algorithm.expiresAt(state, rule) <= nowMs) {
        states.delete(key);
        removed += 1;
      }
    }
    return removed;
  };
  const timer = setInterval(sweep, options.sweepIntervalMs ?? 10_000);
  timer.unref();

  const consumeNow = (key: string, rule: StoreRule, nowMs: number): Decision => {
    lastRule = rule;
    const previous = states.get(key);
    const { state, decision } = ALGORITHMS[rule.algorithm].consume(previous, rule, nowMs);
    if (previous !== undefined) states.delete(key);
    else if (states.size >= maxKeys) {
      const oldest = states.keys().next();
      if (!oldest.done) states.delete(oldest.value);
    }
    states.set(key, state);
    return decision;
  };

  return {
    consume: async (key, rule, nowMs) => consumeNow(key, rule, nowMs),
    peek: async (key, rule, nowMs) => ALGORITHMS[rule.algorithm].peek(states.get(key), rule, nowMs),
    resetKey: async (key) => {
      states.delete(key);
    },
    resetAll: async () => {
      states.clear();
    },
    keys: async (max) => [...states.keys()].slice(-max).reverse(),
    close: async () => {
      clearInterval(timer);
    },
    get size() {
      return states.size;
    },
    sweep,
  };
}
