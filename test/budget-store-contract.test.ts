import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetEntry, BudgetStore, StoreRule } from '../src/core/budget-store.js';
import type { Decision } from '../src/core/decision.js';
import type { Algorithm, Stacking } from '../src/core/policy.js';
import { createMapStore } from '../src/engine/map-store.js';
import { createIpcHost, type IpcHost } from '../src/store/ipc-host.js';
import { createIpcStore } from '../src/store/ipc-store.js';
import { createMemoryStore } from '../src/store/memory-store.js';
import { openRedisStore } from '../src/store/redis-store.js';
import { channelTo } from './support/ipc-pair.js';
import { type RedisServer, redisRequired, redisUnavailable, startRedis } from './support/redis-server.js';

// The BudgetStore contract, one case file run against every store (express-rate-limit's one test.each over
// all its stores is the model): the in-memory LRU store (node's default), the map store (where node's
// timers are missing, e.g. MSW in a browser), the Redis store (replicas) and the IPC store (the workers of
// `mock --workers`, on the primary's memory store, here over an in-process channel). The shared ones run
// with the caller's time, so that each step's arithmetic is checked at times the test picks: their own
// clocks are tested in redis-store.test.ts and ipc-store.test.ts. The semantics (budget-store.ts): one call per request, one decision per
// entry; `atomic`, all entries spent or none; `in-order`, those before the first that does not fit.
// Without redis-server the Redis rows skip, with the reason in their name; REQUIRE_REDIS=1 (CI) fails them.

interface StoreKind {
  name: string;
  /** A fresh, empty store. */
  make(): Promise<BudgetStore>;
  /** A second handle on the same budgets (another replica's connection), when the store is shared. */
  twin?(of: BudgetStore): Promise<BudgetStore>;
  /** Answers without a promise (the in-memory stores: the mock's hot path costs none). */
  sync: boolean;
  unavailable?: string;
}

let redis: RedisServer | undefined;
let prefixes = 0;
const redisPrefixOf = new WeakMap<BudgetStore, string>();
const openRedis = async (prefix = `contract${++prefixes}:`) => {
  const store = await openRedisStore({ url: (redis as RedisServer).url, prefix, time: 'caller' });
  redisPrefixOf.set(store, prefix);
  return store;
};

const hostOf = new WeakMap<BudgetStore, IpcHost>();
/** A worker's store on a primary's host; the first store of a host closes it too. */
const openIpc = (host: IpcHost, owner = true): BudgetStore => {
  const store = createIpcStore(channelTo(host), { time: 'caller' });
  const handle = owner ? { ...store, close: () => store.close().then(() => host.close()) } : store;
  hostOf.set(handle, host);
  return handle;
};

const STORES: StoreKind[] = [
  { name: 'memory store', make: async () => createMemoryStore({ clock: { now: () => 0 }, sweepIntervalMs: 3_600_000 }), sync: true },
  { name: 'map store', make: async () => createMapStore(), sync: true },
  { name: 'redis store', make: () => openRedis(), twin: (of) => openRedis(redisPrefixOf.get(of)), sync: false, unavailable: redisUnavailable },
  {
    name: 'ipc store (mock --workers)',
    make: async () => openIpc(createIpcHost()),
    twin: async (of) => openIpc(hostOf.get(of) as IpcHost, false),
    sync: false,
  },
];

beforeAll(async () => {
  if (redisUnavailable === undefined) redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});

const ALGORITHMS: Algorithm[] = ['fixed-window', 'sliding-window', 'token-bucket'];
const rule = (algorithm: Algorithm, limit = 3): StoreRule => ({ algorithm, limit, windowMs: 60_000 });
const entry = (key: string, r: StoreRule, cost = 1): BudgetEntry => ({ key, rule: r, cost });
/** One request on one key, as the one-limit policies send it. */
const consumeOne = async (store: BudgetStore, key: string, r: StoreRule, nowMs: number, cost = 1): Promise<Decision> =>
  (await store.consume([entry(key, r, cost)], nowMs))[0] as Decision;
const peekOne = async (store: BudgetStore, key: string, r: StoreRule, nowMs: number, cost = 1): Promise<Decision> =>
  (await store.peek([entry(key, r, cost)], nowMs))[0] as Decision;
const numbers = (d: Decision) => [d.allowed, d.remaining, d.resetMs, d.retryAfterMs];

/** Each algorithm's exact answers (allowed, remaining, resetMs, retryAfterMs) to one key, limit 3 per minute. */
const ARITHMETIC: Record<Algorithm, Array<[number, [boolean, number, number, number]]>> = {
  // The window starts at the first request and refills whole at its end.
  'fixed-window': [
    [0, [true, 2, 60_000, 0]],
    [1_000, [true, 1, 59_000, 0]],
    [2_000, [true, 0, 58_000, 0]],
    [3_000, [false, 0, 57_000, 57_000]],
    [60_000, [true, 2, 60_000, 0]],
  ],
  // Each request leaves the window a minute after it came: at 60 s the first has left, so one fits.
  'sliding-window': [
    [0, [true, 2, 60_000, 0]],
    [1_000, [true, 1, 59_000, 0]],
    [2_000, [true, 0, 58_000, 0]],
    [3_000, [false, 0, 57_000, 57_000]],
    [60_000, [true, 0, 1_000, 0]],
    [60_500, [false, 0, 500, 500]],
  ],
  // A token every 20 s: reset is the time to a full bucket, retry-after the time to one token, both
  // rounded up (at 2 s, 0.1 token is 0.09999999999999987 in doubles, so the bucket is full in 58,001 ms).
  'token-bucket': [
    [0, [true, 2, 20_000, 0]],
    [1_000, [true, 1, 39_000, 0]],
    [2_000, [true, 0, 58_001, 0]],
    [3_000, [false, 0, 57_000, 17_000]],
    [21_000, [true, 0, 59_000, 0]],
  ],
};

describe.each(STORES)('BudgetStore contract: $name', (kind) => {
  const maybe = kind.unavailable === undefined ? it : it.skip;
  const each = kind.unavailable === undefined ? it.each(ALGORITHMS) : it.skip.each(ALGORITHMS);
  if (kind.unavailable && redisRequired)
    it('needs redis-server (REQUIRE_REDIS=1)', () => {
      throw new Error(`${kind.unavailable}; REQUIRE_REDIS=1 forbids skipping the Redis tests`);
    });
  else if (kind.unavailable) it.skip(`skipped: ${kind.unavailable}`, () => undefined);

  each('%s: its arithmetic, answer by answer (remaining, reset, retry-after)', async (algorithm) => {
    const store = await kind.make();
    const r = rule(algorithm);
    for (const [nowMs, expected] of ARITHMETIC[algorithm]) expect([nowMs, ...numbers(await consumeOne(store, 'a', r, nowMs))]).toEqual([nowMs, ...expected]);
    await store.close();
  });

  each('%s: spends one per consume, refuses at limit + 1, peeks without spending, refills after the window', async (algorithm) => {
    const store = await kind.make();
    const r = rule(algorithm);
    const allowed: boolean[] = [];
    for (const i of [1, 2, 3, 4]) allowed.push((await consumeOne(store, 'a', r, i)).allowed);
    expect(allowed).toEqual([true, true, true, false]);
    expect((await peekOne(store, 'a', r, 5)).allowed).toBe(false);
    expect(await consumeOne(store, 'b', r, 5)).toMatchObject({ allowed: true, remaining: 2 });
    expect((await peekOne(store, 'b', r, 6)).remaining).toBe(2);
    expect((await consumeOne(store, 'a', r, 60_005)).allowed).toBe(true);
    await store.close();
  });

  each('%s: a cost spends that many units; one that does not fit spends nothing; cost 0 spends nothing', async (algorithm) => {
    const store = await kind.make();
    const r = rule(algorithm, 5);
    expect(await consumeOne(store, 'a', r, 0, 3)).toMatchObject({ allowed: true, remaining: 2 });
    const refused = await consumeOne(store, 'a', r, 1, 3);
    expect(refused).toMatchObject({ allowed: false, remaining: 2 });
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(await peekOne(store, 'a', r, 1, 2)).toMatchObject({ allowed: true, remaining: 2 });
    expect(await consumeOne(store, 'a', r, 1, 0)).toMatchObject({ allowed: true, remaining: 2 });
    expect(await consumeOne(store, 'a', r, 1, 2)).toMatchObject({ allowed: true, remaining: 0 });
    // A cost above the limit never fits, and waits at least a window.
    expect(await consumeOne(store, 'b', r, 1, 6)).toMatchObject({ allowed: false, remaining: 5 });
    expect((await peekOne(store, 'b', r, 2)).remaining).toBe(5);
    await store.close();
  });

  each('%s: several entries in one call are spent together when each fits', async (algorithm) => {
    const store = await kind.make();
    const burst = rule(algorithm, 2);
    const quota = rule(algorithm, 10);
    const both = [entry('burst|a', burst), entry('quota|a', quota, 3)];
    expect((await store.consume(both, 0)).map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 1],
      [true, 7],
    ]);
    expect((await store.peek(both, 0)).map((d) => d.remaining)).toEqual([1, 7]);
    await store.close();
  });

  each('%s: atomic: when one entry does not fit, no entry is spent, and each says how it stands', async (algorithm) => {
    const store = await kind.make();
    const burst = rule(algorithm, 1);
    const quota = rule(algorithm, 10);
    await consumeOne(store, 'burst|a', burst, 0);
    const decisions = await store.consume([entry('quota|a', quota), entry('burst|a', burst)], 0, 'atomic');
    expect(decisions.map((d) => d.allowed)).toEqual([true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([10, 0]);
    expect((await peekOne(store, 'quota|a', quota, 0)).remaining).toBe(10);
    await store.close();
  });

  each('%s: in-order: the entries before the first that does not fit are spent, it and the rest are not', async (algorithm) => {
    const store = await kind.make();
    const r = rule(algorithm, 1);
    const quota = rule(algorithm, 10);
    await consumeOne(store, 'second|a', r, 0);
    const decisions = await store.consume([entry('first|a', quota), entry('second|a', r), entry('third|a', quota)], 0, 'in-order');
    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 9],
      [false, 0],
      [true, 10],
    ]);
    expect((await store.peek([entry('first|a', quota), entry('third|a', quota)], 0)).map((d) => d.remaining)).toEqual([9, 10]);
    await store.close();
  });

  each('%s: concurrency: 200 requests at once on one key get exactly the limit, on one handle and on two', async (algorithm) => {
    const store = await kind.make();
    const other = kind.twin ? await kind.twin(store) : store;
    const r = rule(algorithm, 37);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? store : other).consume([entry('hot', r)], 10)));
    expect(answers.filter((d) => d[0]?.allowed)).toHaveLength(37);
    // Two entries per request, stacked atomically: a request is never half spent, whoever races it.
    const pair = [entry('pair|a', rule(algorithm, 25)), entry('pair|b', rule(algorithm, 50), 2)];
    const pairs = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? store : other).consume(pair, 10, 'atomic')));
    expect(pairs.filter((d) => d.every((x) => x.allowed))).toHaveLength(25);
    expect((await store.peek(pair, 10)).map((d) => d.remaining)).toEqual([0, 0]);
    if (other !== store) await other.close();
    await store.close();
  });

  maybe('resets one key, or all, and lists live keys newest first; a rejection marks its key as used', async () => {
    const store = await kind.make();
    const r = rule('fixed-window', 1);
    for (const [i, key] of ['a', 'b', 'c'].entries()) await consumeOne(store, key, r, i);
    expect(await store.keys(2)).toEqual(['c', 'b']);
    expect((await consumeOne(store, 'a', r, 3)).allowed).toBe(false);
    expect(await store.keys(3)).toEqual(['a', 'c', 'b']);
    await store.resetKey('b');
    expect(await store.keys(3)).toEqual(['a', 'c']);
    expect((await consumeOne(store, 'b', r, 4)).allowed).toBe(true);
    expect((await consumeOne(store, 'a', r, 4)).allowed).toBe(false);
    await store.resetAll();
    expect(await store.keys(3)).toEqual([]);
    expect((await consumeOne(store, 'a', r, 5)).allowed).toBe(true);
    await store.close();
  });

  maybe('a key that was only ever refused is not listed; an expired key refills and stops limiting', async () => {
    const store = await kind.make();
    const r = rule('sliding-window', 2);
    expect((await consumeOne(store, 'big', r, 0, 3)).allowed).toBe(false);
    expect(await store.keys(5)).toEqual([]);
    await consumeOne(store, 'a', r, 0, 2);
    expect((await consumeOne(store, 'a', r, 59_999)).allowed).toBe(false);
    expect(await consumeOne(store, 'a', r, 60_000)).toMatchObject({ allowed: true, remaining: 1 });
    await store.close();
  });

  it(`${kind.sync ? 'answers' : 'may answer'} synchronously (${kind.sync ? 'an in-memory store' : 'a shared store answers with a promise'})`, async () => {
    if (kind.unavailable) return;
    const store = await kind.make();
    const answer = store.consume([entry('a', rule('fixed-window'))], 0);
    expect(answer instanceof Promise).toBe(!kind.sync);
    await answer;
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
  it.each(ALGORITHMS)(
    '%s: the same decisions for any sequence of requests over several keys, costs, resets and time',
    async (algorithm) => {
      const kinds = STORES.filter((k) => k.unavailable === undefined);
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), async (ops, limit) => {
          const stores = await Promise.all(kinds.map((k) => k.make()));
          const r = rule(algorithm, limit);
          let nowMs = 1_000;
          const seen: Decision[][][] = stores.map(() => []);
          for (const o of ops) {
            if (o.kind === 'advance') nowMs += o.ms;
            else if (o.kind === 'reset') await Promise.all(stores.map((s) => s.resetKey(o.key)));
            else {
              const entries = o.keys.map((key, i) => entry(key, r, o.costs[i] ?? 1));
              for (const [i, s] of stores.entries())
                seen[i]?.push(await (o.kind === 'consume' ? s.consume(entries, nowMs, o.stacking) : s.peek(entries, nowMs)));
            }
          }
          await Promise.all(stores.map((s) => s.close()));
          for (let i = 1; i < stores.length; i += 1) expect({ store: kinds[i]?.name, seen: seen[i] }).toEqual({ store: kinds[i]?.name, seen: seen[0] });
        }),
        { numRuns: redis ? 100 : 200 },
      );
    },
    60_000,
  );
});
