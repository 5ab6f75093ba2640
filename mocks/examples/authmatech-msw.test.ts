// Test your Authmatech client offline with MSW: the whole rate-limit contract as msw request handlers,
// time on fake timers. Copy this file, replace `client` with yours, and run it with vitest.
import { setupServer } from 'msw/node';
import { assertRetryLog, withBackoff } from 'ratelimit-contract/client';
import { mockRateLimitedApi, passThrough, rateLimited, serverError } from 'ratelimit-contract/msw';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from 'vitest';

const BASE_URL = 'https://api.authmatech.test';
// A client from mocks/authmatech.credentials.json; the budget (1000/min) is keyed by X-CLIENT-ID.
const HEADERS = { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key', 'content-type': 'application/json' };

// Your client goes here. This one is the doc's withBackoff snippet: 429 and 5xx are retried after
// 1 s, 2 s, 4 s … (cap 60 s) ±100 ms, at most 5 attempts.
const verify = (phoneNumber: string) =>
  withBackoff(() => fetch(`${BASE_URL}/v1/api/identity/verify`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ phoneNumber }) }));

// The handlers answer every method and path under BASE_URL; anything else is left to your other handlers.
const api = await mockRateLimitedApi({ profile: 'authmatech', baseUrl: BASE_URL });
const server = setupServer(...api.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
// Fake only timers and Date, as with the nock helper.
beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }));
afterEach(async () => {
  vi.useRealTimers();
  await api.reset();
});
afterAll(async () => {
  server.close();
  await api.restore();
});

test('backs off 1 s, 2 s, 4 s through 429s and a 500, then succeeds', async () => {
  api.script('POST /v1/api/identity/verify', [rateLimited(2), serverError(1), passThrough()]);
  const res = await api.settle(verify('+14155550123'), vi);
  expect(res.status).toBe(200);
  expect(api.attempts.map((a) => a.status)).toEqual([429, 429, 500, 200]);
  assertRetryLog(api.attempts, 'authmatech'); // schedule within ±100 ms, at most 5 attempts, no hammering
  api.done();
});

test('gives up after 5 attempts while the minute stays spent, and the window then resets', async () => {
  await api.exhaust(HEADERS);
  const res = await api.settle(verify('+14155550123'), vi);
  expect(res.status).toBe(429);
  expect(await res.json()).toMatchObject({ success: false, messages: [{ httpStatus: 'TOO_MANY_REQUESTS' }] });
  expect(api.attempts).toHaveLength(5);
  assertRetryLog(api.attempts, 'authmatech');

  vi.advanceTimersByTime(60_000);
  expect((await verify('+14155550123')).status).toBe(200);
});
