import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from 'vitest';
import { createRetryAfterFetch, findRetryViolations } from '../src/client/index.js';
import { mockRateLimitedApi, rateLimited } from '../src/msw/index.js';

// The MSW helper keeps the same attempt log as the nock helper (src/engine/attempt-log.ts), with the causal
// order of arrivals and answers: clients that never pause are judged in full, and a fan-out is not.
const BASE = 'https://order.reconlayer.test';
const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] } satisfies Parameters<typeof vi.useFakeTimers>[0];
const page = (n: number) => `${BASE}/v1/payment-intents?offset=${n * 25}`;
const checks = () => findRetryViolations(api.attempts, 'reconlayer').map((v) => v.check);

const api = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: BASE, limit: 5 });
const server = setupServer(...api.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => vi.useFakeTimers(FAKE));
afterEach(async () => {
  vi.useRealTimers();
  await api.reset();
});
afterAll(async () => {
  server.close();
  await api.restore();
});

test('a loop with no pause between pages spends the budget into a 429: no-pacing', async () => {
  const client = createRetryAfterFetch({ paceBelowRemaining: false });
  await api.settle(
    (async () => {
      for (let n = 0; n < 8; n += 1) await (await client(page(n), { headers: ACME })).arrayBuffer();
    })(),
    vi,
  );
  // The budget of 5 and the 429 after it, all in one virtual millisecond: times alone read it as a fan-out.
  expect(new Set(api.attempts.slice(0, 6).map((a) => a.atMs)).size).toBe(1);
  expect(api.attempts[5]?.status).toBe(429);
  expect(checks()).toEqual(['no-pacing']);
});

test('a paginator that keeps going after a 429 with no pause: hammering-after-429', async () => {
  api.script('*', [rateLimited(1, { retryAfterSeconds: 10 })]);
  await api.settle(
    (async () => {
      for (let n = 0; n < 5; n += 1) await (await fetch(page(n), { headers: ACME })).arrayBuffer();
    })(),
    vi,
  );
  expect(checks()).toEqual(['429-not-retried', 'hammering-after-429']);
});

test('the same pages fanned out at once, with the reference client: no finding', async () => {
  const client = createRetryAfterFetch();
  const statuses = await api.settle(Promise.all(Array.from({ length: 8 }, (_, n) => client(page(n), { headers: ACME }).then((r) => r.status))), vi);
  expect(statuses).toEqual(Array(8).fill(200));
  expect(api.attempts.slice(0, 8).filter((a) => a.status === 429)).toHaveLength(3);
  expect(checks()).toEqual([]);
});
