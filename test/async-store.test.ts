import { afterEach, describe, expect, it } from 'vitest';
import type { BudgetStore } from '../src/core/budget-store.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { createMemoryStore } from '../src/store/memory-store.js';
import { rawRequest } from './support/raw-request.js';

// A shared store (Redis, for several mock replicas) answers with promises, later. This wrapper makes the
// in-memory store do so, each answer one event-loop turn late, so the handler's async path is the one tested.
function asyncStore(): BudgetStore & { calls: number } {
  const inner = createMemoryStore();
  const later = <T>(value: T) => new Promise<T>((resolve) => setImmediate(() => resolve(value)));
  const store = {
    calls: 0,
    consume: async (...args: Parameters<BudgetStore['consume']>) => {
      store.calls += 1;
      return later(await inner.consume(...args));
    },
    peek: async (...args: Parameters<BudgetStore['peek']>) => later(await inner.peek(...args)),
    resetKey: inner.resetKey,
    resetAll: inner.resetAll,
    keys: inner.keys,
    close: inner.close,
  };
  return store;
}

const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const LIST = '/v1/payment-intents';

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

describe('the mock on an asynchronous budget store', () => {
  it('counts down, rejects request limit + 1 with the headers and body, and leaves exempt paths alone', async () => {
    const store = asyncStore();
    mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 3, store });
    const remaining: (string | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await rawRequest(mock.url, { path: LIST, headers: ACME });
      expect(res.status).toBe(200);
      remaining.push(res.headers['x-ratelimit-remaining']);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const rejected = await rawRequest(mock.url, { path: LIST, headers: ACME });
    expect(rejected.status).toBe(429);
    expect(rejected.headers['retry-after']).toBe(rejected.headers['x-ratelimit-reset']);
    expect(rejected.json).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    const health = await rawRequest(mock.url, { path: '/health' });
    expect(health.status).toBe(200);
    expect(health.headers['x-ratelimit-remaining']).toBeUndefined();
    expect(store.calls).toBe(4);
  });

  it('stays exact under concurrency: 60 parallel requests against a limit of 10 give 10 successes', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 10, store: asyncStore() });
    const url = mock.url;
    const statuses = await Promise.all(Array.from({ length: 60 }, () => rawRequest(url, { path: LIST, headers: ACME }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50);
  });

  it('serves an idempotent POST (body read after the store answers) and a scripted 429 that spends nothing', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 5, store: asyncStore(), control: true });
    const post = {
      method: 'POST',
      path: LIST,
      headers: { ...ACME, 'content-type': 'application/json', 'idempotency-key': 'k-1' },
      body: '{"amount":1000,"currency":"usd"}',
    };
    const first = await rawRequest(mock.url, post);
    const again = await rawRequest(mock.url, post);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    expect(first.json).toMatchObject({ amount: 1000 });
    const fault = await rawRequest(mock.url, {
      method: 'POST',
      path: '/__ratelimit/faults',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'status-429', count: 1, path: LIST }),
    });
    expect(fault.status).toBeLessThan(300);
    const scripted = await rawRequest(mock.url, { path: LIST, headers: ACME });
    expect(scripted.status).toBe(429);
    const after = await rawRequest(mock.url, { path: LIST, headers: ACME });
    expect(after.status).toBe(200);
    expect(after.headers['x-ratelimit-remaining']).toBe('2');
  });
});
