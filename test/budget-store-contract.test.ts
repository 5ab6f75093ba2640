import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BudgetStore, StoreRule } from '../src/core/budget-store.js';
import type { Decision } from '../src/core/decision.js';
import type { Algorithm } from '../src/core/policy.js';
import { createMapStore } from '../src/engine/map-store.js';
import { createMemoryStore } from '../src/store/memory-store.js';

// The BudgetStore contract, run against every store (express-rate-limit's one test.each over all its
// stores is the model): the in-memory LRU store (node's default) and the map store (where node's timers are
// missing, e.g. MSW in a browser). Both answer synchronously.
const STORES: Array<[string, () => BudgetStore]> = [
  ['memory store', () => createMemoryStore({ clock: { now: () => 0 }, sweepIntervalMs: 3_600_000 })],
  ['map store', () => createMapStore()],
];
const ALGORITHMS: Algorithm[] = ['fixed-window', 'sliding-window', 'token-bucket'];
const rule = (algorithm: Algorithm, limit = 3): StoreRule => ({ algorithm, limit, windowMs: 60_000 });
const sync = (answer: Decision | Promise<Decision>): Decision => {
  if (answer instanceof Promise) throw new Error('expected a synchronous answer');
  return answer;
};

describe.each(STORES)('BudgetStore contract: %s', (_name, make) => {
  it.each(ALGORITHMS)('%s: spends one per consume, refuses at limit + 1, peeks without spending, refills after the window', async (algorithm) => {
    const store = make();
    const r = rule(algorithm);
    expect([1, 2, 3, 4].map((i) => sync(store.consume('a', r, i)).allowed)).toEqual([true, true, true, false]);
    expect(sync(store.peek('a', r, 5)).allowed).toBe(false);
    expect(sync(store.consume('b', r, 5))).toMatchObject({ allowed: true, remaining: 2 });
    expect(sync(store.peek('b', r, 6)).remaining).toBe(2);
    expect(sync(store.consume('a', r, 60_005)).allowed).toBe(true);
    await store.close();
  });

  it('resets one key, or all, and lists live keys newest first', async () => {
    const store = make();
    const r = rule('fixed-window', 1);
    for (const key of ['a', 'b', 'c']) store.consume(key, r, 0);
    expect(await store.keys(2)).toEqual(['c', 'b']);
    await store.resetKey('b');
    expect(sync(store.consume('b', r, 1)).allowed).toBe(true);
    expect(sync(store.consume('a', r, 1)).allowed).toBe(false);
    await store.resetAll();
    expect(sync(store.consume('a', r, 2)).allowed).toBe(true);
    await store.close();
  });
});

describe('every store decides alike', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constantFrom('consume', 'peek'), key: fc.constantFrom('a', 'b', 'c') }),
    fc.record({ kind: fc.constant('advance'), ms: fc.integer({ min: 0, max: 90_000 }) }),
    fc.record({ kind: fc.constant('reset'), key: fc.constantFrom('a', 'b') }),
  );
  it.each(ALGORITHMS)('%s: the same decisions for any sequence of requests, resets and time', async (algorithm) => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), async (ops, limit) => {
        const stores = STORES.map(([, make]) => make());
        const r = rule(algorithm, limit);
        let nowMs = 1_000;
        const seen: Decision[][] = stores.map(() => []);
        for (const o of ops) {
          if (o.kind === 'advance') nowMs += o.ms;
          else if (o.kind === 'reset') await Promise.all(stores.map((s) => s.resetKey(o.key)));
          else for (const [i, s] of stores.entries()) seen[i]?.push(sync(o.kind === 'consume' ? s.consume(o.key, r, nowMs) : s.peek(o.key, r, nowMs)));
        }
        await Promise.all(stores.map((s) => s.close()));
        expect(seen[1]).toEqual(seen[0]);
      }),
      { numRuns: 200 },
    );
  });
});
