// Test your ReconLayer client offline with Jest in its default, CommonJS setup: the whole rate-limit
// contract behind nock, time on Jest's fake timers. Copy this file, replace `client` with yours, run `npx jest`.
const nock = require('nock');
const { assertRetryLog, createRetryAfterFetch } = require('ratelimit-contract/client');
const { mockRateLimitedApi, rateLimited, serverError } = require('ratelimit-contract/nock');

const BASE_URL = 'https://api.reconlayer.test';
// An org_acme key from mocks/reconlayer.credentials.json; every key of one organization shares one budget.
const HEADERS = { authorization: 'Bearer rl_test_acme_primary', 'content-type': 'application/json' };

// Your client goes here. This one is the package's reference policy: it waits what retry-after says,
// keeps one Idempotency-Key across the retries of a POST, and paces itself from x-ratelimit-remaining.
const client = createRetryAfterFetch();

let api;
beforeAll(async () => {
  nock.disableNetConnect();
  api = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: BASE_URL });
});
// Fake only timers and Date: faking setImmediate, nextTick or queueMicrotask hangs nock.
beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'hrtime', 'performance'] }));
afterEach(async () => {
  jest.useRealTimers();
  await api.reset();
});
afterAll(async () => {
  await api.restore();
  nock.enableNetConnect();
});

test('waits out retry-after once the organization has spent its 300 requests', async () => {
  await api.exhaust(HEADERS);
  // settle() moves fake time whenever the client sleeps (pass Jest's `jest`), so the 60 s wait takes milliseconds.
  const res = await api.settle(client(`${BASE_URL}/v1/payment-intents`, { headers: HEADERS }), jest);
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
  const res = await api.settle(client(`${BASE_URL}/v1/payment-intents`, { method: 'POST', headers: HEADERS, body }), jest);
  expect(res.status).toBe(201);
  expect(new Set(api.attempts.map((a) => a.idempotencyKey)).size).toBe(1);
  assertRetryLog(api.attempts, 'reconlayer');
  api.done(); // every scripted step was used
});
