import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALGORITHMS } from '../src/core/algorithms/index.js';
import type { BudgetStore, StoreRule } from '../src/core/budget-store.js';
import type { Decision } from '../src/core/decision.js';
import type { Algorithm } from '../src/core/policy.js';
import { createMemoryStore } from '../src/store/memory-store.js';
import { PAGE_SIZE } from '../src/store/slot-pages.js';

// Store-level bounds: keys expire when their window ends, the cap evicts the least recently used key,
// and sweeping or evicting never changes a decision it should not. Deterministic: a number is the clock.
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const WINDOW_MS = 60_000;
const ALGORITHM_NAMES: Algorithm[] = ['fixed-window', 'sliding-window', 'token-bucket'];
const ruleOf = (algorithm: Algorithm, limit = 3): StoreRule => ({ limit, windowMs: WINDOW_MS, algorithm });

let stores: Array<ReturnType<typeof createMemoryStore>> = [];
function storeWith(options: Parameters<typeof createMemoryStore>[0] & { startMs?: number } = {}) {
  let nowMs = options.startMs ?? 1_000_000;
  const clock = { now: () => nowMs };
  const store = createMemoryStore({ clock, ...options });
  stores.push(store);
  const advance = (ms: number) => {
    nowMs += ms;
  };
  return { store, clock, advance, now: () => nowMs };
}
afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  stores = [];
  vi.useRealTimers();
});

/** One request of one unit on one key, the way a one-limit policy spends. */
const consumeOne = async (store: BudgetStore, key: string, rule: StoreRule, nowMs: number): Promise<Decision> =>
  (await store.consume([{ key, rule, cost: 1 }], nowMs))[0] as Decision;
const peekOne = async (store: BudgetStore, key: string, rule: StoreRule, nowMs: number): Promise<Decision> =>
  (await store.peek([{ key, rule, cost: 1 }], nowMs))[0] as Decision;

/** What the store must behave like: a plain Map in LRU order with the cap, that never sweeps. A rejection stores nothing but marks the key used. */
function referenceStore(maxKeys: number) {
  const states = new Map<string, unknown>();
  return {
    consume(key: string, rule: StoreRule, nowMs: number): Decision {
      const previous = states.get(key);
      const { state, decision } = ALGORITHMS[rule.algorithm].consume(previous, rule, nowMs);
      if (previous !== undefined) states.delete(key);
      else if (state === undefined) return decision;
      else if (states.size >= maxKeys) states.delete(states.keys().next().value as string);
      states.set(key, state ?? previous);
      return decision;
    },
    peek: (key: string, rule: StoreRule, nowMs: number) => ALGORITHMS[rule.algorithm].peek(states.get(key), rule, nowMs),
    resetKey: (key: string) => void states.delete(key),
    newestFirst: () => [...states.keys()].reverse(),
  };
}

describe('memory store: expiry', () => {
  it.each(ALGORITHM_NAMES)('%s: a key lives until one window after its last use, then a sweep drops it', async (algorithm) => {
    const { store, advance, now } = storeWith();
    const rule = ruleOf(algorithm);
    await consumeOne(store, 'ip:192.0.2.1', rule, now());
    advance(30_000);
    await consumeOne(store, 'ip:192.0.2.1', rule, now());
    await consumeOne(store, 'ip:192.0.2.2', rule, now());
    advance(WINDOW_MS - 1);
    expect(store.sweep()).toBe(0);
    expect(store.size).toBe(2);
    advance(1);
    expect(store.sweep()).toBe(2);
    expect(store.size).toBe(0);
    expect(await store.keys(10)).toEqual([]);
    expect((await peekOne(store, 'ip:192.0.2.1', rule, now())).remaining).toBe(3);
  });

  it.each(ALGORITHM_NAMES)('%s: sweeping at any moment never changes a decision (model check)', async (algorithm) => {
    const rule = ruleOf(algorithm, 2);
    const step = fc.record({
      key: fc.integer({ min: 0, max: 5 }),
      advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 * WINDOW_MS })),
      sweep: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60 }), async (steps) => {
        const { store, advance, now } = storeWith();
        const reference = referenceStore(Number.MAX_SAFE_INTEGER);
        const lastUse = new Map<string, number>();
        for (const s of steps) {
          advance(s.advanceMs);
          const key = `ip:10.0.0.${s.key}`;
          expect(await consumeOne(store, key, rule, now())).toEqual(reference.consume(key, rule, now()));
          lastUse.set(key, now());
          if (s.sweep) {
            store.sweep();
            // Exactly the keys used within the last window survive.
            expect(store.size).toBe([...lastUse.values()].filter((t) => t + WINDOW_MS > now()).length);
          }
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('drops a million keys in slices from its own timer, never all in one event-loop turn', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setImmediate', 'clearImmediate'] });
    const { store, advance, now } = storeWith({ sweepIntervalMs: 1_000 });
    const rule = ruleOf('fixed-window');
    for (let i = 0; i < 20_000; i += 1) await consumeOne(store, `ip:10.0.${i >> 8}.${i & 255}`, rule, now());
    advance(WINDOW_MS);
    vi.advanceTimersByTime(1_000);
    expect(store.size).toBe(20_000 - 4096);
    let turns = 1;
    while (store.size > 0 && turns < 100) {
      vi.advanceTimersToNextTimer();
      turns += 1;
    }
    expect(store.size).toBe(0);
    expect(turns).toBe(Math.ceil(20_000 / 4096));
  });
});

describe('memory store: cap and LRU eviction', () => {
  it('evicts the least recently used key past maxKeys; the evicted key starts over', async () => {
    const { store, now } = storeWith({ maxKeys: 3 });
    const rule = ruleOf('fixed-window', 2);
    for (const key of ['a', 'b', 'c']) await consumeOne(store, key, rule, now());
    await consumeOne(store, 'a', rule, now());
    expect((await consumeOne(store, 'a', rule, now())).allowed).toBe(false);
    await peekOne(store, 'b', rule, now()); // reading is not using
    await consumeOne(store, 'd', rule, now());
    expect(store.size).toBe(3);
    expect(await store.keys(10)).toEqual(['d', 'a', 'c']);
    expect(await store.keys(2)).toEqual(['d', 'a']);
    expect((await peekOne(store, 'b', rule, now())).remaining).toBe(2);
    expect((await peekOne(store, 'a', rule, now())).remaining).toBe(0);
  });

  it('matches a Map in LRU order with the same cap, operation for operation (model check)', async () => {
    const rule = ruleOf('fixed-window', 3);
    const op = fc.oneof(
      fc.record({ kind: fc.constant('consume' as const), key: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ kind: fc.constant('peek' as const), key: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ kind: fc.constant('reset' as const), key: fc.integer({ min: 0, max: 9 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 80 }), async (maxKeys, ops) => {
        const { store, now } = storeWith({ maxKeys });
        const reference = referenceStore(maxKeys);
        for (const o of ops) {
          const key = `k${o.key}`;
          if (o.kind === 'consume') expect(await consumeOne(store, key, rule, now())).toEqual(reference.consume(key, rule, now()));
          else if (o.kind === 'peek') expect(await peekOne(store, key, rule, now())).toEqual(reference.peek(key, rule, now()));
          else {
            await store.resetKey(key);
            reference.resetKey(key);
          }
          expect(store.size).toBeLessThanOrEqual(maxKeys);
        }
        expect(await store.keys(100)).toEqual(reference.newestFirst());
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('holds at most maxKeys under a flood of distinct keys, keeping the newest', async () => {
    const { store, now } = storeWith({ maxKeys: 1_000 });
    const rule = ruleOf('fixed-window');
    for (let i = 0; i < 50_000; i += 1) await consumeOne(store, `ip:${i}`, rule, now());
    expect(store.size).toBe(1_000);
    expect(store.capacity).toBe(PAGE_SIZE);
    expect(await store.keys(2)).toEqual(['ip:49999', 'ip:49998']);
    expect((await peekOne(store, 'ip:48999', rule, now())).remaining).toBe(3);
    expect((await peekOne(store, 'ip:49000', rule, now())).remaining).toBe(2);
  });
});

describe('memory store: memory comes back', () => {
  it('gives pages back once a sweep leaves them mostly empty, keeping survivors and their order', async () => {
    const { store, advance, now } = storeWith();
    const rule = ruleOf('fixed-window');
    const keys = 3 * PAGE_SIZE;
    for (let i = 0; i < keys; i += 1) await consumeOne(store, `ip:${i}`, rule, now());
    expect(store.capacity).toBe(3 * PAGE_SIZE);
    advance(WINDOW_MS / 2);
    // Reset and reused, the survivors sit in freed slots scattered over all three pages.
    const survivors = ['ip:7', 'ip:40000', 'ip:123'];
    for (const key of survivors) {
      await store.resetKey(key);
      await consumeOne(store, key, rule, now());
      await consumeOne(store, key, rule, now());
    }
    advance(WINDOW_MS / 2);
    expect(store.sweep()).toBe(keys - survivors.length);
    expect(store.size).toBe(survivors.length);
    expect(store.size).toBe(3);
    expect(store.capacity).toBe(PAGE_SIZE);
    expect(await store.keys(10)).toEqual([...survivors].reverse());
    expect((await peekOne(store, 'ip:40000', rule, now())).remaining).toBe(1);
    await consumeOne(store, 'ip:new', rule, now());
    expect(await store.keys(1)).toEqual(['ip:new']);
    advance(WINDOW_MS);
    store.sweep();
    expect(store.size).toBe(0);
  });

  it('resetAll empties it and returns to one page', async () => {
    const { store, now } = storeWith();
    for (let i = 0; i < 2 * PAGE_SIZE; i += 1) await consumeOne(store, `k${i}`, ruleOf('token-bucket'), now());
    await store.resetAll();
    expect(store.size).toBe(0);
    expect(store.capacity).toBe(0);
    expect(await store.keys(5)).toEqual([]);
  });
});
