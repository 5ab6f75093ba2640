// Test your ReconLayer client offline: the whole rate-limit contract behind nock, time on fake timers.
// Copy this file, replace `client` with yours, and run it with vitest.
import nock from 'nock';
import { assertRetryLog, createRetryAfterFetch } from 'ratelimit-contract/client';
import { mockRateLimitedApi, type RateLimitedApi, rateLimited, serverError } from 'ratelimit-contract/nock';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from 'vitest';

const BASE_URL = 'https://api.reconlayer.test';
// An org_acme key from mocks/reconlayer.credentials.json; every key of one organization shares one budget.
const HEADERS = { authorization: 'Bearer rl_test_acme_primary', 'content-type': 'application/json' };

// Your client goes here. This one is the package's reference policy: it waits what retry-after says,
// keeps one Idempotency-Key across the retries of a POST, and paces itself from x-ratelimit-remaining.
const client = createRetryAfterFetch();

let api: RateLimitedApi;
beforeAll(async () => {
  nock.disableNetConnect();
  api = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: BASE_URL });
});
// Fake only timers and Date: faking setImmediate or nextTick hangs nock.
beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }));
afterEach(async () => {
  vi.useRealTimers();
  await api.reset();
});
afterAll(async () => {
  await api.restore();
  nock.enableNetConnect();
});

test('waits out retry-after once the organization has spent its 300 requests', async () => {
  await api.exhaust(HEADERS);
  // settle() moves fake time whenever the client sleeps, so the 60 s wait takes milliseconds.
  const res = await api.settle(client(`${BASE_URL}/v1/payment-intents`, { headers: HEADERS }), vi);
  expect(res.status).toBe(200);
  expect(api.attempts.map((a) => [a.status, a.retryAfterSeconds])).toEqual([
    [429, 60],
    [200, undefined],
  ]);
  assertRetryLog(api.attempts, 'reconlayer');
});

test('retries a POST after a 429 and a 503 with the same Idempotency-Key and body', async () => {
  api.script('POST /v1/payment-intents', [rateLimited(1, { retryAfterSeconds: 5 }), serverError(1, 503)]);
  const body = JSON.stringify({ amount: 1000, currency: 'usd' });
  const res = await api.settle(client(`${BASE_URL}/v1/payment-intents`, { method: 'POST', headers: HEADERS, body }), vi);
  expect(res.status).toBe(201);
  expect(new Set(api.attempts.map((a) => a.idempotencyKey)).size).toBe(1);
  assertRetryLog(api.attempts, 'reconlayer');
  api.done(); // every scripted step was used
});

test('slows down before x-ratelimit-remaining reaches 0 instead of hitting 429s', async () => {
  const small = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: 'https://small.reconlayer.test', limit: 5 });
  const paced = createRetryAfterFetch();
  const sendTwelve = async () => {
    for (let i = 0; i < 12; i += 1) await (await paced('https://small.reconlayer.test/v1/payment-intents', { headers: HEADERS })).arrayBuffer();
  };
  await small.settle(sendTwelve(), vi);
  expect(small.attempts.filter((a) => a.status === 429)).toEqual([]);
  assertRetryLog(small.attempts, 'reconlayer'); // includes no-pacing: never spends the budget into a 429
  await small.restore();
});
