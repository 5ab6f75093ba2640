import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BudgetEntry, StoreRule } from '../src/core/budget-store.js';
import { RateLimitContractError } from '../src/core/errors.js';
import { readRedisUrl } from '../src/store/redis-connection.js';
import { RECORD_TTL_MS } from '../src/store/redis-records.js';
import { openRedisStore, type RedisStore } from '../src/store/redis-store.js';
import type { StoreOutage } from '../src/store/store-outage.js';
import { describeWithRedis, type RedisServer, startRedis } from './support/redis-server.js';

/** The store's connection as ioredis types it. */
const client = (store: RedisStore) => store.redis as Redis;

// What the Redis store does beyond the store contract (budget-store-contract.test.ts): the clock it keeps
// for every replica, the bounds on Redis memory, key prefixes, scripts that survive a SCRIPT FLUSH, a
// command timeout instead of a hang, and the errors at start.

const minute: StoreRule = { algorithm: 'fixed-window', limit: 2, windowMs: 60_000 };
const one = (key: string, rule: StoreRule = minute, cost = 1): BudgetEntry[] => [{ key, rule, cost }];

describeWithRedis('the Redis store', () => {
  let redis: RedisServer;
  let prefixes = 0;
  const opened: RedisStore[] = [];
  const open = async (options: { prefix?: string; onOutage?: (event: StoreOutage) => void; commandTimeoutMs?: number } = {}) => {
    const store = await openRedisStore({ url: redis.url, prefix: options.prefix ?? `t${++prefixes}:`, ...options });
    opened.push(store);
    return store;
  };
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await redis?.stop();
  });

  it('keeps one clock for every replica: a freeze or an advance on one is the time of all, at once', async () => {
    const a = await open({ prefix: 'clock:' });
    const b = await open({ prefix: 'clock:' });
    expect(Math.abs((a.clock?.now() ?? 0) - Date.now())).toBeLessThan(1_000);
    await a.clock?.freeze();
    const frozenAt = a.clock?.now() as number;
    expect((await b.consume(one('org:acme'), 0))[0]).toMatchObject({ allowed: true, resetMs: 60_000 });
    // B's answer carried the clock: its reading is A's frozen time.
    expect(b.clock?.now()).toBe(frozenAt);
    expect(b.clock?.frozen).toBe(true);
    expect((await b.consume(one('org:acme'), 0))[0]?.remaining).toBe(0);
    expect((await a.consume(one('org:acme'), 0))[0]?.allowed).toBe(false);
    // The caller's nowMs is not the time: the store's clock is.
    expect((await a.consume(one('org:acme'), frozenAt + 3_600_000))[0]?.allowed).toBe(false);
    await a.clock?.advance(60_000);
    expect((await b.consume(one('org:acme'), 0))[0]).toMatchObject({ allowed: true, remaining: 1 });
    expect(b.clock?.now()).toBe(frozenAt + 60_000);
    // sync() reads the clock without spending anything; resume keeps what was advanced.
    await a.clock?.resume();
    await b.clock?.sync();
    expect(b.clock?.frozen).toBe(false);
    expect((b.clock?.now() ?? 0) - Date.now()).toBeGreaterThan(59_000);
  });

  it('bounds Redis memory: each state expires once it limits nothing, the recent-keys set is trimmed, records expire', async () => {
    const store = await open();
    const rules: StoreRule[] = [minute, { ...minute, algorithm: 'sliding-window' }, { ...minute, algorithm: 'token-bucket' }];
    for (const rule of rules) await store.consume(one('org:acme', rule), 0);
    for (const rule of rules) {
      const ttl = await client(store).pttl(store.stateKey('org:acme', rule.algorithm));
      expect(ttl).toBeGreaterThan(0);
      // Within its window: one request of two in a fixed or sliding window, half a bucket to refill.
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
    await store.records.putIfAbsent('org:acme', 'key-1', 'first');
    const prefix = store.label.match(/prefix (\S+)\)/)?.[1];
    const records = await client(store).keys(`${prefix}i*`);
    expect(records.length).toBe(2);
    for (const key of records) expect(await client(store).pttl(key)).toBeGreaterThan(RECORD_TTL_MS - 60_000);
    // A key unused for its window leaves the recent-keys set at the next request.
    await store.clock?.freeze();
    await store.consume(one('org:beta'), 0);
    expect(await client(store).zcard(`${prefix}recent`)).toBe(2);
    await store.clock?.advance(60_001);
    await store.consume(one('org:gamma'), 0);
    expect(await client(store).zrange(`${prefix}recent`, '0', '-1')).toEqual(['org:gamma']);
    await store.clock?.resume();
  });

  it('keeps two prefixes apart, and resets only its own keys', async () => {
    const a = await open({ prefix: 'api-a:' });
    const b = await open({ prefix: 'api-b:' });
    await a.consume(one('org:acme'), 0);
    await a.consume(one('org:acme'), 0);
    expect((await a.consume(one('org:acme'), 0))[0]?.allowed).toBe(false);
    expect((await b.consume(one('org:acme'), 0))[0]).toMatchObject({ allowed: true, remaining: 1 });
    await a.resetAll();
    expect(await b.keys(10)).toEqual(['org:acme']);
    expect(await a.keys(10)).toEqual([]);
    expect((await b.peek(one('org:acme'), 0))[0]?.remaining).toBe(1);
  });

  it('runs its scripts again after Redis forgot them (SCRIPT FLUSH, as after a restart): EVALSHA, then EVAL on NOSCRIPT', async () => {
    const store = await open();
    await store.consume(one('org:acme'), 0);
    await client(store).script('FLUSH');
    expect((await store.consume(one('org:acme'), 0))[0]).toMatchObject({ allowed: true, remaining: 0 });
    expect((await store.clock?.sync()) ?? 'synced').toBe('synced');
  });

  it('never hangs on a Redis that stopped answering: the command fails at its timeout, once told as an outage, and the return too', async () => {
    const events: StoreOutage[] = [];
    const store = await open({ commandTimeoutMs: 200, onOutage: (event) => events.push(event) });
    const admin = new Redis(redis.url);
    try {
      await admin.client('PAUSE', 1_500, 'ALL');
      const failures = await Promise.allSettled([store.consume(one('org:acme'), 0), store.consume(one('org:beta'), 0)]);
      expect(failures.map((f) => f.status)).toEqual(['rejected', 'rejected']);
      expect(events).toEqual([{ kind: 'down', reason: 'no answer within 200 ms' }]);
      // Redis answers again once the pause ends: poll (with a generous bound) instead of timing it.
      let answered = false;
      for (let i = 0; i < 100 && !answered; i += 1) {
        answered = await Promise.resolve(store.peek(one('org:acme'), 0)).then(
          () => true,
          () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 100)),
        );
      }
      expect(answered).toBe(true);
      expect(events.at(-1)).toEqual({ kind: 'up' });
    } finally {
      await admin.client('UNPAUSE');
      admin.disconnect();
    }
  });

  it('idempotency records: the first is kept for every replica; a later one with the same key gets the first back', async () => {
    const a = await open({ prefix: 'records:' });
    const b = await open({ prefix: 'records:' });
    expect(await a.records.putIfAbsent('org:acme', 'k-1', 'first')).toBeUndefined();
    expect(await b.records.putIfAbsent('org:acme', 'k-1', 'second')).toBe('first');
    expect(await b.records.putIfAbsent('org:beta', 'k-1', 'beta')).toBeUndefined();
    // They live a day on the store's clock: virtual time moves it.
    await a.clock?.advance(RECORD_TTL_MS);
    expect(await b.records.putIfAbsent('org:acme', 'k-1', 'third')).toBeUndefined();
    await b.records.clear();
    expect(await a.records.putIfAbsent('org:acme', 'k-1', 'fourth')).toBeUndefined();
    await a.clock?.resume();
  });

  it('says in one line what is wrong when Redis is not there, naming where the URL came from', async () => {
    const gone = await startRedis();
    await gone.stop();
    const error = await openRedisStore({ url: gone.url, source: '--store' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitContractError);
    expect((error as RateLimitContractError).code).toBe('ERR_RLC_STORE');
    expect((error as Error).message).toBe(
      `Failed to connect to the budget store ${gone.url}/0 (--store): connection refused (ECONNREFUSED). Run Redis there (\`redis-server --port ${gone.port}\`), fix --store, or drop --store to keep budgets in this process.`,
    );
  });
});

it('reads Redis URLs, and explains the ones it cannot read', () => {
  expect(readRedisUrl('redis://127.0.0.1:6379/2', '--store')).toEqual({ url: 'redis://127.0.0.1:6379/2', label: 'redis://127.0.0.1:6379/2' });
  expect(readRedisUrl('redis://:secret@cache:6380', '--store').label).toBe('redis://:***@cache:6380/0');
  const message = (text: string, source = '--store') => {
    try {
      readRedisUrl(text, source);
      return 'read';
    } catch (error) {
      return (error as Error).message;
    }
  };
  expect(message('127.0.0.1:6379')).toBe(
    'Failed to read --store: "127.0.0.1:6379" is not a URL (it needs redis:// in front). Pass redis://host:port[/db], e.g. --store redis://127.0.0.1:6379/0.',
  );
  expect(message('localhost:6379')).toMatch(/^Failed to read --store: "localhost:6379" is not a URL \(it needs redis:\/\/ in front\)\./);
  expect(message('http://x:1', 'RATE_LIMIT_STORE')).toBe(
    'Failed to read RATE_LIMIT_STORE: "http://x:1" is not a Redis URL (http://). Pass redis://host:port[/db], e.g. RATE_LIMIT_STORE=redis://127.0.0.1:6379/0.',
  );
  expect(message('redis://h:1/99')).toMatch(/^Failed to read --store: "\/99" in "redis:\/\/h:1\/99" is not a database number \(0-15\)\./);
  expect(message('redis://h:1/0?prefix=x')).toMatch(/has a query or fragment/);
});
