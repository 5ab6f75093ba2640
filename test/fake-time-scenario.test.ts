import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from 'vitest';
import { assertRetryLog, createBackoffFetch, createRetryAfterFetch, retryRulesFor } from '../src/client/index.js';
import { mockRateLimitedApi, type RateLimitedApi } from '../src/nock/index.js';

// A whole 60 s window, spent, rejected, waited out and recovered from, in virtual time. The real time it
// takes is printed as a report line, never asserted: the machine is shared, and a 100 ms bound flaked at
// 154 ms under load. Fake timers move only setTimeout/setInterval/Date; setImmediate and nextTick stay real
// (faking setImmediate hangs nock).
const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] } satisfies Parameters<typeof vi.useFakeTimers>[0];
const WINDOW_MS = 60_000;
const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const ALPHA = { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key' };

let recon: RateLimitedApi;
let auth: RateLimitedApi;

beforeAll(async () => {
  nock.disableNetConnect();
  recon = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: 'https://api.reconlayer.test' });
  auth = await mockRateLimitedApi({ profile: 'authmatech', baseUrl: 'https://api.authmatech.test' });
  // Warm fetch and nock's interceptors once, so the measure is the scenario and not module start-up.
  await (await fetch('https://api.reconlayer.test/health')).arrayBuffer();
  await recon.reset();
});
beforeEach(() => {
  vi.useFakeTimers(FAKE);
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await recon.restore();
  await auth.restore();
  nock.enableNetConnect();
});

function report(name: string, realMs: number, virtualMs: number): void {
  console.log(`${name}: ${virtualMs} ms of virtual time in ${realMs.toFixed(1)} ms of real time (${(virtualMs / realMs).toFixed(0)}× faster)`);
}

test('ReconLayer: spend 300/min, get 429s, wait out retry-after, succeed — in virtual time', async () => {
  const realStart = performance.now();
  const virtualStart = Date.now();
  await recon.exhaust(ACME);
  const rejected = [];
  for (let i = 0; i < 3; i += 1) {
    const res = await fetch('https://api.reconlayer.test/v1/payment-intents', { headers: ACME });
    rejected.push([res.status, res.headers.get('retry-after')]);
    await res.arrayBuffer();
  }
  const client = createRetryAfterFetch();
  const res = await recon.settle(client('https://api.reconlayer.test/v1/payment-intents', { headers: ACME }), vi);
  const realMs = performance.now() - realStart;
  const virtualMs = Date.now() - virtualStart;
  report('ReconLayer full window', realMs, virtualMs);

  expect(rejected).toEqual([
    [429, '60'],
    [429, '60'],
    [429, '60'],
  ]);
  expect(res.status).toBe(200);
  expect(res.headers.get('x-ratelimit-remaining')).toBe('299');
  expect(virtualMs).toBeGreaterThanOrEqual(WINDOW_MS);
  assertRetryLog(recon.attempts.slice(3), 'reconlayer');
});

test("Authmatech: spend 1000/min, back off 1 s, 2 s … 32 s on the doc's schedule, succeed — in virtual time", async () => {
  const realStart = performance.now();
  const virtualStart = Date.now();
  await auth.exhaust(ALPHA);
  const client = createBackoffFetch({ maxAttempts: 8 });
  const res = await auth.settle(client('https://api.authmatech.test/v1/api/identity/sessions/ses_1', { headers: ALPHA }), vi);
  const realMs = performance.now() - realStart;
  const virtualMs = Date.now() - virtualStart;
  report('Authmatech full window', realMs, virtualMs);

  expect(auth.attempts.map((a) => a.status)).toEqual([429, 429, 429, 429, 429, 429, 200]);
  expect(res.status).toBe(200);
  expect(virtualMs).toBeGreaterThanOrEqual(WINDOW_MS);
  assertRetryLog(auth.attempts, retryRulesFor('authmatech', { maxAttempts: 8 }));
});
