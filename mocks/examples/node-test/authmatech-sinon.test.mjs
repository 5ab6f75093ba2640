// Test your Authmatech client offline with node:test and @sinonjs/fake-timers: the whole rate-limit contract
// behind nock, time on a sinon clock. Copy this file, replace `verify` with your client, run `node --test`.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import nock from 'nock';
import { assertRetryLog, withBackoff } from 'ratelimit-contract/client';
import { mockRateLimitedApi, passThrough, rateLimited, serverError, sinonTimers } from 'ratelimit-contract/nock';

const BASE_URL = 'https://api.authmatech.test';
// A client from mocks/authmatech.credentials.json; the budget (1000/min) is keyed by X-CLIENT-ID.
const HEADERS = { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key', 'content-type': 'application/json' };

// Your client goes here. This one is the doc's withBackoff snippet: 429 and 5xx are retried after
// 1 s, 2 s, 4 s … (cap 60 s) ±100 ms, at most 5 attempts.
const verify = (phoneNumber) =>
  withBackoff(() => fetch(`${BASE_URL}/v1/api/identity/verify`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ phoneNumber }) }));

let api;
let clock;
before(async () => {
  nock.disableNetConnect();
  api = await mockRateLimitedApi({ profile: 'authmatech', baseUrl: BASE_URL });
});
// Fake only timers and Date: sinon's default also fakes setImmediate, which hangs nock.
beforeEach(() => {
  clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: Date.now() });
});
afterEach(async () => {
  clock.uninstall();
  await api.reset();
});
after(async () => {
  await api.restore();
  nock.enableNetConnect();
});

test('backs off 1 s, 2 s, 4 s through 429s and a 500, then succeeds', async () => {
  api.script('POST /v1/api/identity/verify', [rateLimited(2), serverError(1), passThrough()]);
  // sinonTimers(clock) gives settle() the clock's nextAsync() and countTimers().
  const res = await api.settle(verify('+14155550123'), sinonTimers(clock));
  assert.equal(res.status, 200);
  assert.deepEqual(
    api.attempts.map((a) => a.status),
    [429, 429, 500, 200],
  );
  assertRetryLog(api.attempts, 'authmatech'); // 1 s, 2 s, 4 s ±100 ms with jitter, 429 and 500 retried, at most 5 tries
  api.done();
});

test('gives up after 5 attempts while the minute stays spent, and the window then resets', async () => {
  await api.exhaust(HEADERS);
  const res = await api.settle(verify('+14155550123'), sinonTimers(clock));
  assert.equal(res.status, 429);
  assert.equal(api.attempts.length, 5);
  assertRetryLog(api.attempts, 'authmatech');

  clock.tick(60_000);
  assert.equal((await verify('+14155550123')).status, 200);
  assertRetryLog(api.attempts, 'authmatech'); // the call after the window is a new call, not a sixth try
});
