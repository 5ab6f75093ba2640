// Test your Authmatech client offline with Jest in ESM mode (NODE_OPTIONS=--experimental-vm-modules npx jest):
// the whole rate-limit contract behind nock, time on Jest's fake timers. Copy this file, replace `verify`
// with your client, and run it.
import { afterAll, afterEach, beforeAll, beforeEach, expect, jest, test } from '@jest/globals';
import nock from 'nock';
import { assertRetryLog, withBackoff } from 'ratelimit-contract/client';
import { mockRateLimitedApi, passThrough, rateLimited, serverError } from 'ratelimit-contract/nock';

const BASE_URL = 'https://api.authmatech.test';
// A client from mocks/authmatech.credentials.json; the budget (1000/min) is keyed by X-CLIENT-ID.
const HEADERS = { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key', 'content-type': 'application/json' };

// Your client goes here. This one is the doc's withBackoff snippet: 429 and 5xx are retried after
// 1 s, 2 s, 4 s … (cap 60 s) ±100 ms, at most 5 attempts.
const verify = (phoneNumber) =>
  withBackoff(() => fetch(`${BASE_URL}/v1/api/identity/verify`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ phoneNumber }) }));

let api;
beforeAll(async () => {
  nock.disableNetConnect();
  api = await mockRateLimitedApi({ profile: 'authmatech', baseUrl: BASE_URL });
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

test('backs off 1 s, 2 s, 4 s through 429s and a 500, then succeeds', async () => {
  api.script('POST /v1/api/identity/verify', [rateLimited(2), serverError(1), passThrough()]);
  const res = await api.settle(verify('+14155550123'), jest);
  expect(res.status).toBe(200);
  expect(api.attempts.map((a) => a.status)).toEqual([429, 429, 500, 200]);
  assertRetryLog(api.attempts, 'authmatech'); // 1 s, 2 s, 4 s ±100 ms with jitter, 429 and 500 retried, at most 5 tries
  api.done();
});

test('gives up after 5 attempts while the minute stays spent', async () => {
  await api.exhaust(HEADERS);
  const res = await api.settle(verify('+14155550123'), jest);
  expect(res.status).toBe(429);
  expect(api.attempts).toHaveLength(5);
  assertRetryLog(api.attempts, 'authmatech');
});
