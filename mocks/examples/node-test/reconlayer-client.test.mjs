// Test your ReconLayer client offline with node:test: the whole rate-limit contract behind nock, time on
// node:test's mock timers. Copy this file, replace `client` with yours, and run `node --test`.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, mock, test } from 'node:test';
import nock from 'nock';
import { assertRetryLog, createRetryAfterFetch } from 'ratelimit-contract/client';
import { mockRateLimitedApi, nodeTestTimers, rateLimited, serverError } from 'ratelimit-contract/nock';

const BASE_URL = 'https://api.reconlayer.test';
// An org_acme key from mocks/reconlayer.credentials.json; every key of one organization shares one budget.
const HEADERS = { authorization: 'Bearer rl_test_acme_primary', 'content-type': 'application/json' };

// Your client goes here. This one is the package's reference policy: it waits what retry-after says,
// keeps one Idempotency-Key across the retries of a POST, and paces itself from x-ratelimit-remaining.
const client = createRetryAfterFetch();

let api;
let timers;
before(async () => {
  nock.disableNetConnect();
  api = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: BASE_URL });
});
// Mock only timers and Date (mocking setImmediate hangs nock); nodeTestTimers() gives settle() what
// node's mock timers lack: the count of waiting timers and a jump to the next one.
beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: Date.now() });
  timers = nodeTestTimers(mock.timers);
});
afterEach(async () => {
  mock.timers.reset();
  await api.reset();
});
after(async () => {
  await api.restore();
  nock.enableNetConnect();
});

test('waits out retry-after once the organization has spent its 300 requests', async () => {
  await api.exhaust(HEADERS);
  // settle() moves fake time whenever the client sleeps, so the 60 s wait takes milliseconds.
  const res = await api.settle(client(`${BASE_URL}/v1/payment-intents`, { headers: HEADERS }), timers);
  assert.equal(res.status, 200);
  assert.deepEqual(
    api.attempts.map((a) => [a.status, a.retryAfterSeconds]),
    [
      [429, 60],
      [200, undefined],
    ],
  );
  assertRetryLog(api.attempts, 'reconlayer');
});

test('retries a POST after a 429 and a 503 with the same Idempotency-Key and body', async () => {
  api.script('POST /v1/payment-intents', [rateLimited(1, { retryAfterSeconds: 5 }), serverError(1, 503)]);
  const body = JSON.stringify({ amount: 1000, currency: 'usd' });
  const res = await api.settle(client(`${BASE_URL}/v1/payment-intents`, { method: 'POST', headers: HEADERS, body }), timers);
  assert.equal(res.status, 201);
  assert.equal(new Set(api.attempts.map((a) => a.idempotencyKey)).size, 1);
  assertRetryLog(api.attempts, 'reconlayer');
  api.done(); // every scripted step was used
});
