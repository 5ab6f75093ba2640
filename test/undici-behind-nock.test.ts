import nock from 'nock';
import { getGlobalDispatcher, MockAgent, RetryAgent, type RetryHandler, request, type errors as undiciErrors } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { findRetryViolations } from '../src/client/index.js';
import { mockRateLimitedApi, type RateLimitedApi } from '../src/nock/index.js';
import { honourPause } from './support/honour-pause.js';

// undici's RetryAgent with `throwOnError: false` behind nock: why it breaks, and the workarounds.
//
// Cause (read in node_modules): with throwOnError false, undici's RetryHandler (lib/handler/retry-handler.js,
// onResponseStartWithRetry) pauses a retryable response and asks its retry callback whether to retry; it
// forwards nothing downstream until the callback answers. nock's NockClient (lib/interceptors/undici.js)
// calls onHeaders, onData and onComplete back to back, ignoring that onHeaders returned false and passing
// a no-op resume; undici's MockAgent (lib/mock/mock-utils.js) does the same. So the 429's body reaches
// undici's request handler (lib/api/api-request.js), which never saw headers: `this.res.push` on null.
// The TypeError comes back to RetryHandler as a response error and goes into the retry callback, which
// has lost the status and retry-after: the default retries on minTimeout (500 ms), a custom one sees a
// TypeError. Not our code: an in-process mock that ignores backpressure, meeting a handler that relies on it.

const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] } satisfies Parameters<typeof vi.useFakeTimers>[0];

/** A retry callback that records what it is given, then does what undici's default does. */
function recordingRetry(seen: string[], minTimeoutMs = 500): RetryHandler.RetryCallback {
  return (error, { state, opts }, callback) => {
    const { statusCode, headers } = error as InstanceType<typeof undiciErrors.RequestRetryError>;
    seen.push(statusCode ? `${statusCode} retry-after ${headers?.['retry-after']}` : `${error.name}: ${error.message}`);
    if (state.counter > (opts.retryOptions?.maxRetries ?? 5)) return callback(error);
    const retryAfterMs = Number(headers?.['retry-after'] ?? 0) * 1000;
    setTimeout(() => callback(null), retryAfterMs > 0 ? retryAfterMs : minTimeoutMs * 2 ** (state.counter - 1));
  };
}

describe('undici RetryAgent behind the nock helper', () => {
  let api: RateLimitedApi;
  beforeAll(async () => {
    nock.disableNetConnect();
    api = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: 'https://undici.reconlayer.test' });
  });
  beforeEach(() => vi.useFakeTimers(FAKE));
  afterEach(async () => {
    vi.useRealTimers();
    await api.reset();
  });
  afterAll(async () => {
    await api.restore();
    nock.enableNetConnect();
  });

  const send = async (dispatcher: RetryAgent) => {
    await api.exhaust(ACME);
    const call = request(`${api.baseUrl}/v1/payment-intents`, { headers: ACME, dispatcher }).then(async (r) => {
      await r.body.text();
      return r.statusCode;
    });
    const status = await api.settle(
      call.catch((error: unknown) => (error as { statusCode: number }).statusCode),
      vi,
    );
    return {
      status,
      checks: findRetryViolations(api.attempts, 'reconlayer').map((v) => v.check),
      times: api.attempts.map((a) => a.atMs - (api.attempts[0]?.atMs ?? 0)),
    };
  };

  test("the bug: throwOnError false, plain: the retry callback gets a TypeError 'reading push' and retries 59.5 s early", async () => {
    const seen: string[] = [];
    const result = await send(new RetryAgent(getGlobalDispatcher(), { throwOnError: false, maxRetries: 1, retry: recordingRetry(seen) }));
    expect(seen.slice(0, 2)).toEqual(['429 retry-after 60', "TypeError: Cannot read properties of null (reading 'push')"]);
    expect(result.times).toEqual([0, 500]);
    expect(result.checks).toContain('retry-before-retry-after');
  });

  test('workaround 1: keep throwOnError true (the default) behind nock: retry-after is honoured', async () => {
    const seen: string[] = [];
    const result = await send(new RetryAgent(getGlobalDispatcher(), { maxRetries: 1, maxTimeout: 120_000, retry: recordingRetry(seen) }));
    expect(seen).toEqual(['429 retry-after 60']);
    expect(result).toEqual({ status: 200, checks: [], times: [0, 60_000] });
  });

  test('workaround 2: compose an interceptor that honours pause; throwOnError false then works as on a socket', async () => {
    const seen: string[] = [];
    const result = await send(new RetryAgent(getGlobalDispatcher().compose(honourPause), { throwOnError: false, maxRetries: 1, retry: recordingRetry(seen) }));
    expect(seen).toEqual(['429 retry-after 60']);
    expect(result).toEqual({ status: 200, checks: [], times: [0, 60_000] });
  });
});

test("undici's own MockAgent does the same: the cause is an in-process dispatcher that ignores pause", async () => {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get('https://mockagent.test');
  pool.intercept({ path: '/x' }).reply(429, 'slow down', { headers: { 'retry-after': '0' } });
  pool.intercept({ path: '/x' }).reply(200, 'ok');
  const seen: string[] = [];
  const res = await request('https://mockagent.test/x', {
    dispatcher: new RetryAgent(agent, { throwOnError: false, maxRetries: 2, retry: recordingRetry(seen, 5) }),
  });
  await res.body.text();
  expect(seen[1]).toBe("TypeError: Cannot read properties of null (reading 'push')");
  await agent.close();
});

test("nock 15 sets undici's global dispatcher, so undici.request through it is intercepted", async () => {
  nock.disableNetConnect();
  const scope = nock('https://undici.example.test').get('/ping').reply(204);
  const res = await request('https://undici.example.test/ping');
  expect(res.statusCode).toBe(204);
  scope.done();
  nock.enableNetConnect();
});
