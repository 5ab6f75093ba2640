import { mock } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createRetryAfterFetch, findRetryViolations, withBackoff } from '../src/client/index.js';
import { mockRateLimitedApi, nodeTestTimers, type RateLimitedApi, rateLimited, sinonTimers } from '../src/nock/index.js';

// settle() moves fake time with two functions (advance to the next timer, count the timers). vitest's `vi`
// and Jest's `jest` have both; node:test's mock.timers and a bare @sinonjs/fake-timers clock get adapters.
// Also: a client call parked on fake timers that nothing advances (a forgotten settle) is warned about.
const BASE = 'https://timers.reconlayer.test';
const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const INTENTS = `${BASE}/v1/payment-intents`;
const TO_FAKE = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const;
const realSetTimeout = globalThis.setTimeout;
const realWait = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

let api: RateLimitedApi;
beforeAll(async () => {
  nock.disableNetConnect();
  api = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: BASE, warnUnsettledAfterMs: 150 });
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  mock.timers.reset();
  await api.reset();
});
afterAll(async () => {
  await api.restore();
  nock.enableNetConnect();
});

describe('sinonTimers(clock): an @sinonjs/fake-timers clock drives settle()', () => {
  test('a spent ReconLayer window is waited out in virtual time', async () => {
    const clock = FakeTimers.install({ toFake: [...TO_FAKE], now: Date.now() });
    try {
      await api.exhaust(ACME);
      const res = await api.settle(createRetryAfterFetch()(INTENTS, { headers: ACME }), sinonTimers(clock));
      expect(res.status).toBe(200);
      const [first, second] = api.attempts;
      expect([first?.status, second?.status]).toEqual([429, 200]);
      expect((second?.atMs ?? 0) - (first?.atMs ?? 0)).toBeGreaterThanOrEqual(60_000);
      expect(findRetryViolations(api.attempts, 'reconlayer')).toEqual([]);
    } finally {
      clock.uninstall();
    }
  });
});

describe("nodeTestTimers(mock.timers): node:test's mock timers drive settle()", () => {
  test('it counts timers and ticks exactly to the next one, intervals included', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000 });
    const timers = nodeTestTimers(mock.timers);
    const fired: string[] = [];
    setTimeout(() => fired.push(`a@${Date.now()}`), 500);
    const b = setTimeout(() => fired.push('b'), 200);
    const every = setInterval(() => fired.push(`i@${Date.now()}`), 300);
    clearTimeout(b);
    expect(timers.getTimerCount()).toBe(2);
    await timers.advanceTimersToNextTimerAsync();
    await timers.advanceTimersToNextTimerAsync();
    await timers.advanceTimersToNextTimerAsync();
    expect(fired).toEqual(['i@1300', 'a@1500', 'i@1600']);
    expect(timers.getTimerCount()).toBe(1);
    clearInterval(every);
    expect(timers.getTimerCount()).toBe(0);
    timers.restore();
  });

  test('Authmatech’s backoff (1 s, 2 s, 4 s) runs in virtual time', async () => {
    const auth = await mockRateLimitedApi({ profile: 'authmatech', baseUrl: 'https://timers.authmatech.test' });
    try {
      mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: Date.now() });
      auth.script('*', [rateLimited(3)]);
      const headers = { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key' };
      const res = await auth.settle(
        withBackoff(() => fetch('https://timers.authmatech.test/v1/api/identity/sessions/ses_1', { headers })),
        nodeTestTimers(mock.timers),
      );
      expect(res.status).toBe(200);
      expect(auth.attempts.map((a) => a.status)).toEqual([429, 429, 429, 200]);
      expect(findRetryViolations(auth.attempts, 'authmatech')).toEqual([]);
    } finally {
      await auth.restore();
    }
  });

  test('without Date mocked it says what to enable', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    expect(() => nodeTestTimers(mock.timers)).toThrow(/mock\.timers\.enable\(\{ apis: \['setTimeout', 'setInterval', 'Date'\]/);
  });
});

describe('a forgotten settle() is warned about before the runner times out', () => {
  test('a client parked behind a 60 s retry-after on fake timers, with nothing advancing them: one warning that names settle', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.useFakeTimers({ toFake: [...TO_FAKE] });
    await api.exhaust(ACME);
    const call = createRetryAfterFetch()(INTENTS, { headers: ACME });
    // The helper waits 150 ms of real time here (warnUnsettledAfterMs); a loaded machine may take longer.
    for (let i = 0; i < 100 && warn.mock.calls.length === 0; i += 1) await realWait(50);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(
      /^ratelimit-contract: Failed to see the client call finish: its last request \(GET \/v1\/payment-intents → 429\) was answered \d+ ms ago in real time, 1 fake timer\(s\) wait .*`await api\.settle\(promise, vi\)`/,
    );
    // The same call, awaited as the warning says, finishes.
    expect((await api.settle(call, vi)).status).toBe(200);
  });

  test('no warning while settle() drives the call, nor while the test moves fake time itself', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const patient = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: 'https://patient.reconlayer.test', warnUnsettledAfterMs: 500 });
    try {
      vi.useFakeTimers({ toFake: [...TO_FAKE] });
      await patient.exhaust(ACME);
      const url = 'https://patient.reconlayer.test/v1/payment-intents';
      expect((await patient.settle(createRetryAfterFetch()(url, { headers: ACME }), vi)).status).toBe(200);
      await patient.exhaust(ACME);
      let done = false;
      const call = createRetryAfterFetch()(url, { headers: ACME }).finally(() => {
        done = true;
      });
      // A test that moves time by hand, half a second of fake time every 20 ms of real time: the helper,
      // which looks after 500 ms of real time, sees the fake clock move.
      while (!done) {
        await realWait(20);
        await vi.advanceTimersByTimeAsync(500);
      }
      expect((await call).status).toBe(200);
      await realWait(100);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      await patient.restore();
    }
  });

  test('no warning on real timers, where a waiting client is just waiting', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    api.script('*', [rateLimited(1, { retryAfterSeconds: 1 })]);
    const res = await createRetryAfterFetch()(INTENTS, { headers: ACME });
    expect(res.status).toBe(200);
    expect(warn).not.toHaveBeenCalled();
  });
});
