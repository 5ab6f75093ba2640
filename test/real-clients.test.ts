import type { AxiosError } from 'axios';
import { isNetworkOrIdempotentRequestError } from 'axios-retry';
import nock from 'nock';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { createBackoffFetch, createRetryAfterFetch, findRetryViolations } from '../src/client/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { mockRateLimitedApi, passThrough, type RateLimitedApi, rateLimited, serverError } from '../src/nock/index.js';
import {
  type ClientFactory,
  type Profile,
  TUNED,
  viaAxios,
  viaBackoffFetch,
  viaGot,
  viaKy,
  viaPRetryReadme,
  viaRetryAfterFetch,
  viaUndici,
  viaWithBackoff,
} from './support/real-clients.js';
import { seededRandom } from './support/seeded-random.js';

const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] } satisfies Parameters<typeof vi.useFakeTimers>[0];
const CREDENTIALS: Record<Profile, Record<string, string>> = {
  reconlayer: { authorization: 'Bearer rl_test_acme_primary' },
  authmatech: { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key' },
};
const PATHS: Record<Profile, string> = { reconlayer: '/v1/payment-intents', authmatech: '/v1/api/identity/sessions/ses_1' };
const PROFILES = ['reconlayer', 'authmatech'] as const;
const checksOf = (api: RateLimitedApi, profile: Profile) => [...new Set(findRetryViolations(api.attempts, profile).map((v) => v.check))];

interface Row {
  client: string;
  profile: Profile;
  make: ClientFactory;
  status: number;
  attempts: number;
  findings: string[];
}

// What each client does with its defaults (the README's first table): ReconLayer's window spent with
// 60 s left (retry-after 60); Authmatech three 429s without retry-after, as documented, then success.
const DEFAULTS: Row[] = [
  { client: 'got', profile: 'reconlayer', make: viaGot({}), status: 200, attempts: 2, findings: [] },
  { client: 'ky', profile: 'reconlayer', make: viaKy({}), status: 200, attempts: 2, findings: [] },
  { client: 'undici RetryAgent', profile: 'reconlayer', make: viaUndici({}), status: 200, attempts: 3, findings: ['retry-before-retry-after'] },
  { client: 'axios-retry', profile: 'reconlayer', make: viaAxios({}), status: 200, attempts: 2, findings: [] },
  { client: 'p-retry (readme example)', profile: 'reconlayer', make: viaPRetryReadme, status: 200, attempts: 7, findings: ['retry-before-retry-after'] },
  { client: 'withBackoff (seed snippet)', profile: 'reconlayer', make: viaWithBackoff, status: 429, attempts: 5, findings: ['retry-before-retry-after'] },
  { client: 'got', profile: 'authmatech', make: viaGot({}), status: 429, attempts: 3, findings: [] },
  { client: 'ky', profile: 'authmatech', make: viaKy({}), status: 429, attempts: 3, findings: ['backoff-too-fast'] },
  {
    client: 'ky with throwHttpErrors: false',
    profile: 'authmatech',
    make: viaKy({}, { throwHttpErrors: false }),
    status: 429,
    attempts: 1,
    findings: ['429-not-retried'],
  },
  { client: 'undici RetryAgent', profile: 'authmatech', make: viaUndici({}), status: 200, attempts: 4, findings: ['backoff-too-fast'] },
  { client: 'axios-retry', profile: 'authmatech', make: viaAxios({}), status: 200, attempts: 4, findings: ['backoff-too-fast'] },
  {
    client: 'axios-retry with validateStatus: () => true',
    profile: 'authmatech',
    make: viaAxios({}, { validateStatus: () => true }),
    status: 429,
    attempts: 1,
    findings: ['429-not-retried'],
  },
  { client: 'p-retry (readme example)', profile: 'authmatech', make: viaPRetryReadme, status: 200, attempts: 4, findings: ['no-jitter'] },
  { client: 'withBackoff (seed snippet)', profile: 'authmatech', make: viaWithBackoff, status: 200, attempts: 4, findings: [] },
  ...PROFILES.flatMap((profile) => [
    { client: 'createBackoffFetch', profile, make: viaBackoffFetch, status: 200, attempts: profile === 'reconlayer' ? 2 : 4, findings: [] },
    { client: 'createRetryAfterFetch', profile, make: viaRetryAfterFetch, status: 200, attempts: profile === 'reconlayer' ? 2 : 4, findings: [] },
  ]),
];

const TUNED_ROWS = Object.entries(TUNED).flatMap(([client, byProfile]) => PROFILES.map((profile) => ({ client, profile, make: byProfile[profile] })));

describe('real clients against the nock helpers (fake timers)', () => {
  const apis = {} as Record<Profile, RateLimitedApi>;
  const small = {} as Record<Profile, RateLimitedApi>;
  beforeAll(async () => {
    nock.disableNetConnect();
    for (const profile of PROFILES) {
      apis[profile] = await mockRateLimitedApi({ profile, baseUrl: `https://api.${profile}.test` });
      small[profile] = await mockRateLimitedApi({ profile, baseUrl: `https://small.${profile}.test`, limit: 5 });
    }
  });
  beforeEach(() => {
    vi.useFakeTimers(FAKE);
    // Repeatable jitter: a constant Math.random would put every wait on one offset, which reads as no jitter.
    vi.spyOn(Math, 'random').mockImplementation(seededRandom(42));
  });
  afterEach(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    for (const api of [...Object.values(apis), ...Object.values(small)]) await api.reset();
  });
  afterAll(async () => {
    for (const api of [...Object.values(apis), ...Object.values(small)]) await api.restore();
    nock.enableNetConnect();
  });

  const spend = async (api: RateLimitedApi, profile: Profile) => {
    if (profile === 'reconlayer') await api.exhaust(CREDENTIALS.reconlayer);
    else api.script('*', [rateLimited(3), passThrough()]);
  };

  test.each(DEFAULTS)('defaults: $client vs $profile → $status after $attempts attempt(s), findings $findings', async (row) => {
    const api = apis[row.profile];
    await spend(api, row.profile);
    const status = await api.settle(row.make()(`${api.baseUrl}${PATHS[row.profile]}`, CREDENTIALS[row.profile]), vi);
    expect([status, api.attempts.length]).toEqual([row.status, row.attempts]);
    expect(checksOf(api, row.profile)).toEqual(row.findings);
  });

  test.each(TUNED_ROWS)('tuned: $client vs $profile recovers from a spent budget with no finding', async ({ profile, make }) => {
    const api = apis[profile];
    await spend(api, profile);
    expect(await api.settle(make()(`${api.baseUrl}${PATHS[profile]}`, CREDENTIALS[profile]), vi)).toBe(200);
    expect(api.attempts).toHaveLength(profile === 'reconlayer' ? 2 : 4);
    expect(checksOf(api, profile)).toEqual([]);
  });

  test.each(TUNED_ROWS)('tuned: $client vs $profile retries two 500s on the schedule with no finding', async ({ profile, make }) => {
    const api = apis[profile];
    api.script('*', [serverError(2), passThrough()]);
    expect(await api.settle(make()(`${api.baseUrl}${PATHS[profile]}`, CREDENTIALS[profile]), vi)).toBe(200);
    expect(api.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(checksOf(api, profile)).toEqual([]);
  });

  test.each(TUNED_ROWS)('tuned: $client vs $profile fans 8 requests out at once on a budget of 5 with no finding', async ({ profile, make }) => {
    const api = small[profile];
    const send = make();
    const pages = Array.from({ length: 8 }, (_, i) =>
      profile === 'reconlayer' ? `${api.baseUrl}/v1/payment-intents?offset=${i * 25}` : `${api.baseUrl}/v1/api/identity/sessions/ses_${i}`,
    );
    const statuses = await api.settle(Promise.all(pages.map((url) => send(url, CREDENTIALS[profile]))), vi);
    const firstWave = api.attempts.slice(0, 8);
    expect(new Set(firstWave.map((a) => a.atMs)).size).toBe(1);
    expect(firstWave.filter((a) => a.status === 429)).toHaveLength(3);
    // ReconLayer's retry-after points at the reset, so all recover; Authmatech's window outlasts the backoff.
    expect(statuses.filter((s) => s === 200)).toHaveLength(profile === 'reconlayer' ? 8 : 5);
    expect(checksOf(api, profile)).toEqual([]);
  });

  // A bulk sweep that processes each page for 20 ms, on a ReconLayer budget of 5: the tuned clients pace
  // from x-ratelimit-remaining (README), so they never take a 429; the same clients without it do.
  const sweep = async (api: RateLimitedApi, make: ClientFactory) => {
    const send = make();
    for (let page = 0; page < 12; page += 1) {
      await send(`${api.baseUrl}/v1/payment-intents?offset=${page * 25}`, CREDENTIALS.reconlayer);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  test.each(Object.keys(TUNED))('tuned: %s paces a 12-page sweep on a ReconLayer budget of 5: no 429, no finding', async (client) => {
    await small.reconlayer.settle(sweep(small.reconlayer, TUNED[client]?.reconlayer as ClientFactory), vi);
    expect(small.reconlayer.attempts).toHaveLength(12);
    expect(small.reconlayer.attempts.filter((a) => a.status === 429)).toEqual([]);
    expect(checksOf(small.reconlayer, 'reconlayer')).toEqual([]);
  });
  const retryAfterFetchWithoutPacing: ClientFactory = () => {
    const api = createRetryAfterFetch({ paceBelowRemaining: false });
    return async (url, headers) => {
      const res = await api(url, { headers });
      await res.arrayBuffer();
      return res.status;
    };
  };
  test.each([
    ['got', viaGot({ limit: 4, maxRetryAfter: 120_000 })],
    ['ky', viaKy({ limit: 4, maxRetryAfter: 120_000 })],
    ['undici', viaUndici({ maxRetries: 4, maxTimeout: 120_000 })],
    ['axios-retry', viaAxios({ retries: 4 })],
    ['createRetryAfterFetch({ paceBelowRemaining: false })', retryAfterFetchWithoutPacing],
  ] as const)('without pacing, %s runs the sweep into a 429: no-pacing', async (_name, make) => {
    await small.reconlayer.settle(sweep(small.reconlayer, make), vi);
    expect(checksOf(small.reconlayer, 'reconlayer')).toEqual(['no-pacing']);
  });

  test.each([
    ['got defaults (gives up after 3)', viaGot({})],
    ['withBackoff (gives up after 5)', viaWithBackoff],
  ] as const)('%s, then a new call after the window: two chains, no finding', async (_name, make) => {
    const api = apis.authmatech;
    const url = `${api.baseUrl}${PATHS.authmatech}`;
    await api.exhaust(CREDENTIALS.authmatech);
    expect(await api.settle(make()(url, CREDENTIALS.authmatech), vi)).toBe(429);
    vi.advanceTimersByTime(60_000);
    expect(await api.settle(make()(url, CREDENTIALS.authmatech), vi)).toBe(200);
    expect(checksOf(api, 'authmatech')).toEqual([]);
  });

  test('axios-retry 4.5: isNetworkOrIdempotentRequestError treats a GET 429 as retryable, a POST not', () => {
    const error = { config: { method: 'get' }, response: { status: 429 }, code: 'ERR_BAD_REQUEST' } as unknown as AxiosError;
    expect(isNetworkOrIdempotentRequestError(error)).toBe(true);
    expect(isNetworkOrIdempotentRequestError({ ...error, config: { method: 'post' } } as unknown as AxiosError)).toBe(false);
  });

  test('undici RetryAgent defaults cap retry-after at maxTimeout (30 s): the retry lands 30 s early', async () => {
    const api = apis.reconlayer;
    await api.exhaust(CREDENTIALS.reconlayer);
    await api.settle(viaUndici({})()(`${api.baseUrl}${PATHS.reconlayer}`, CREDENTIALS.reconlayer), vi);
    expect(api.attempts.map((a) => [a.atMs - (api.attempts[0]?.atMs ?? 0), a.status])).toEqual([
      [0, 429],
      [30_000, 429],
      [60_000, 200],
    ]);
  });
});

describe('real clients against the live mock', () => {
  const servers: MockServer[] = [];
  const start = async (profile: Profile, window: string, lines: string[]) => {
    const mock = await startMockServer({ profile, port: 0, control: true, limit: 2, window, log: (text) => lines.push(...text.trim().split('\n')) });
    servers.push(mock);
    return mock;
  };
  const spend = async (mock: MockServer, profile: Profile) => {
    for (let i = 0; i < 2; i += 1) await (await fetch(`${mock.url}${PATHS[profile]}`, { headers: CREDENTIALS[profile] })).arrayBuffer();
  };
  const statuses = (lines: string[]) => lines.map((line) => Number(/status=(\d+)/.exec(line)?.[1]));

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  afterAll(() => {
    nock.enableNetConnect();
  });

  test('every tuned client recovers from a spent 2 s window, in parallel (real-time smoke, ~2 s)', async () => {
    const startedMs = performance.now();
    const runs = TUNED_ROWS.map(async ({ client, profile, make }) => {
      const lines: string[] = [];
      // 2 s, not 1 s: on a loaded machine, starting a dozen servers can outlast a 1 s window before the call.
      const mock = await start(profile, '2s', lines);
      await spend(mock, profile);
      const send = client === 'undici' ? viaUndici({ maxRetries: 4, maxTimeout: 120_000 }, () => new Agent())() : make();
      const status = await send(`${mock.url}${PATHS[profile]}`, CREDENTIALS[profile]);
      await new Promise((resolve) => setImmediate(resolve));
      return { client, profile, status, log: statuses(lines) };
    });
    const results = await Promise.all(runs);
    for (const result of results) {
      // Spent, then one or more 429s (Authmatech's 1 s backoff can land inside the 2 s window), then a 200.
      expect(result.status, `${result.client} vs ${result.profile}`).toBe(200);
      expect(result.log.join(','), `${result.client} vs ${result.profile}`).toMatch(/^200,200,(429,)+200$/);
    }
    console.log(`live mock, ${results.length} client runs in parallel: ${(performance.now() - startedMs).toFixed(0)} ms real`);
  });

  test('the reference clients run a full 60 s window in virtual time on the mock clock', async () => {
    const lines: string[] = [];
    const mock = await start('reconlayer', '1m', lines);
    mock.clock.freeze();
    await spend(mock, 'reconlayer');
    const waits: number[] = [];
    const api = createRetryAfterFetch({
      now: () => mock.clock.now(),
      random: () => 0,
      sleep: async (ms) => {
        waits.push(ms);
        mock.clock.advance(ms);
      },
    });
    const res = await api(`${mock.url}${PATHS.reconlayer}`, { headers: CREDENTIALS.reconlayer });
    expect(res.status).toBe(200);
    expect(waits).toEqual([60_000]);
    expect(statuses(lines)).toEqual([200, 200, 429, 200]);

    const authLines: string[] = [];
    const auth = await start('authmatech', '1m', authLines);
    auth.clock.freeze();
    await spend(auth, 'authmatech');
    const backoff = createBackoffFetch({ random: () => 0.5, sleep: async (ms) => auth.clock.advance(ms) });
    const final = await backoff(`${auth.url}${PATHS.authmatech}`, { headers: CREDENTIALS.authmatech });
    expect(final.status).toBe(429);
    expect(statuses(authLines)).toEqual([200, 200, 429, 429, 429, 429, 429]);
  });
});
