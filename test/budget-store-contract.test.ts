import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BudgetEntry, BudgetStore, StoreRule } from '../src/core/budget-store.js';
import type { Decision } from '../src/core/decision.js';
import type { Algorithm, Stacking } from '../src/core/policy.js';
import { createMapStore } from '../src/engine/map-store.js';
import { createMemoryStore } from '../src/store/memory-store.js';

// The BudgetStore contract, run against every store (express-rate-limit's one test.each over all its
// stores is the model): the in-memory LRU store (node's default) and the map store (where node's timers are
// missing, e.g. MSW in a browser). Both answer synchronously; a Redis store answers with a promise and runs
// each call as one script. The semantics (budget-store.ts): one call per request, one decision per entry;
// `atomic`, all entries spent or none; `in-order`, those before the first that does not fit.
const STORES: Array<[string, () => BudgetStore]> = [
  ['memory store', () => createMemoryStore({ clock: { now: () => 0 }, sweepIntervalMs: 3_600_000 })],
  ['map store', () => createMapStore()],
];
const ALGORITHMS: Algorithm[] = ['fixed-window', 'sliding-window', 'token-bucket'];
const rule = (algorithm: Algorithm, limit = 3): StoreRule => ({ algorithm, limit, windowMs: 60_000 });
const entry = (key: string, r: StoreRule, cost = 1): BudgetEntry => ({ key, rule: r, cost });
const sync = <T>(answer: T | Promise<T>): T => {
  if (answer instanceof Promise) throw new Error('expected a synchronous answer');
  return answer;
};
/** One request on one key, as the one-limit policies send it. */
const consumeOne = (store: BudgetStore, key: string, r: StoreRule, nowMs: number, cost = 1): Decision =>
  sync(store.consume([entry(key, r, cost)], nowMs))[0] as Decision;
const peekOne = (store: BudgetStore, key: string, r: StoreRule, nowMs: number, cost = 1): Decision =>
  sync(store.peek([entry(key, r, cost)], nowMs))[0] as Decision;

describe.each(STORES)('BudgetStore contract: %s', (_name, make) => {
  it.each(ALGORITHMS)('%s: spends one per consume, refuses at limit + 1, peeks without spending, refills after the window', async (algorithm) => {
    const store = make();
    const r = rule(algorithm);
    expect([1, 2, 3, 4].map((i) => consumeOne(store, 'a', r, i).allowed)).toEqual([true, true, true, false]);
    expect(peekOne(store, 'a', r, 5).allowed).toBe(false);
    expect(consumeOne(store, 'b', r, 5)).toMatchObject({ allowed: true, remaining: 2 });
    expect(peekOne(store, 'b', r, 6).remaining).toBe(2);
    expect(consumeOne(store, 'a', r, 60_005).allowed).toBe(true);
    await store.close();
  });

  it.each(ALGORITHMS)('%s: a cost spends that many units; one that does not fit spends nothing; cost 0 spends nothing', async (algorithm) => {
    const store = make();
    const r = rule(algorithm, 5);
    expect(consumeOne(store, 'a', r, 0, 3)).toMatchObject({ allowed: true, remaining: 2 });
    const refused = consumeOne(store, 'a', r, 1, 3);
    expect(refused).toMatchObject({ allowed: false, remaining: 2 });
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(peekOne(store, 'a', r, 1, 2)).toMatchObject({ allowed: true, remaining: 2 });
    expect(consumeOne(store, 'a', r, 1, 0)).toMatchObject({ allowed: true, remaining: 2 });
    expect(consumeOne(store, 'a', r, 1, 2)).toMatchObject({ allowed: true, remaining: 0 });
    // A cost above the limit never fits, and waits at least a window.
    expect(consumeOne(store, 'b', r, 1, 6)).toMatchObject({ allowed: false, remaining: 5 });
    expect(peekOne(store, 'b', r, 2).remaining).toBe(5);
    await store.close();
  });

  it.each(ALGORITHMS)('%s: several entries in one call are spent together when each fits', async (algorithm) => {
    const store = make();
    const burst = rule(algorithm, 2);
    const quota = rule(algorithm, 10);
    const both = [entry('burst|a', burst), entry('quota|a', quota, 3)];
    expect(sync(store.consume(both, 0)).map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 1],
      [true, 7],
    ]);
    expect(sync(store.peek(both, 0)).map((d) => d.remaining)).toEqual([1, 7]);
    await store.close();
  });

  it.each(ALGORITHMS)('%s: atomic: when one entry does not fit, no entry is spent, and each says how it stands', async (algorithm) => {
    const store = make();
    const burst = rule(algorithm, 1);
    const quota = rule(algorithm, 10);
    consumeOne(store, 'burst|a', burst, 0);
    const decisions = sync(store.consume([entry('quota|a', quota), entry('burst|a', burst)], 0, 'atomic'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([10, 0]);
    expect(peekOne(store, 'quota|a', quota, 0).remaining).toBe(10);
    await store.close();
  });

  it.each(ALGORITHMS)('%s: in-order: the entries before the first that does not fit are spent, it and the rest are not', async (algorithm) => {
    const store = make();
    const r = rule(algorithm, 1);
    const quota = rule(algorithm, 10);
    consumeOne(store, 'second|a', r, 0);
    const decisions = sync(store.consume([entry('first|a', quota), entry('second|a', r), entry('third|a', quota)], 0, 'in-order'));
    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 9],
      [false, 0],
      [true, 10],
    ]);
    expect(sync(store.peek([entry('first|a', quota), entry('third|a', quota)], 0)).map((d) => d.remaining)).toEqual([9, 10]);
    await store.close();
  });

  it('resets one key, or all, and lists live keys newest first; a rejection marks its key as used', async () => {
    const store = make();
    const r = rule('fixed-window', 1);
    for (const key of ['a', 'b', 'c']) consumeOne(store, key, r, 0);
    expect(await store.keys(2)).toEqual(['c', 'b']);
    expect(consumeOne(store, 'a', r, 1).allowed).toBe(false);
    expect(await store.keys(3)).toEqual(['a', 'c', 'b']);
    await store.resetKey('b');
    expect(consumeOne(store, 'b', r, 1).allowed).toBe(true);
    expect(consumeOne(store, 'a', r, 1).allowed).toBe(false);
    await store.resetAll();
    expect(consumeOne(store, 'a', r, 2).allowed).toBe(true);
    await store.close();
  });
});

describe('every store decides alike', () => {
  const keys = fc.constantFrom('a', 'b', 'c');
  const request = fc.record({
    kind: fc.constantFrom('consume', 'peek'),
    keys: fc.uniqueArray(keys, { minLength: 1, maxLength: 3 }),
    costs: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
    stacking: fc.constantFrom<Stacking>('atomic', 'in-order'),
  });
  const op = fc.oneof(
    request,
    fc.record({ kind: fc.constant('advance'), ms: fc.integer({ min: 0, max: 90_000 }) }),
    fc.record({ kind: fc.constant('reset'), key: fc.constantFrom('a', 'b') }),
  );
  it.each(ALGORITHMS)('%s: the same decisions for any sequence of requests over several keys, costs, resets and time', async (algorithm) => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), async (ops, limit) => {
        const stores = STORES.map(([, make]) => make());
        const r = rule(algorithm, limit);
        let nowMs = 1_000;
        const seen: Decision[][][] = stores.map(() => []);
        for (const o of ops) {
          if (o.kind === 'advance') nowMs += o.ms;
          else if (o.kind === 'reset') await Promise.all(stores.map((s) => s.resetKey(o.key)));
          else {
            const entries = o.keys.map((key, i) => entry(key, r, o.costs[i] ?? 1));
            for (const [i, s] of stores.entries()) seen[i]?.push(sync(o.kind === 'consume' ? s.consume(entries, nowMs, o.stacking) : s.peek(entries, nowMs)));
          }
        }
        await Promise.all(stores.map((s) => s.close()));
        expect(seen[1]).toEqual(seen[0]);
      }),
      { numRuns: 200 },
    );
  });
});
