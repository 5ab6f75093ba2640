import axios, { type AxiosError } from 'axios';
import axiosRetry, { isNetworkOrIdempotentRequestError } from 'axios-retry';
import got from 'got';
import ky, { HTTPError } from 'ky';
import nock from 'nock';
import { Agent, type Dispatcher, getGlobalDispatcher, RetryAgent, request, errors as undiciErrors } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { createBackoffFetch, createRetryAfterFetch, findRetryViolations, withBackoff } from '../src/client/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { mockRateLimitedApi, passThrough, type RateLimitedApi, rateLimited } from '../src/nock/index.js';

const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] } satisfies Parameters<typeof vi.useFakeTimers>[0];
type Profile = 'reconlayer' | 'authmatech';
const CREDENTIALS: Record<Profile, Record<string, string>> = {
  reconlayer: { authorization: 'Bearer rl_test_acme_primary' },
  authmatech: { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key' },
};
const PATHS: Record<Profile, string> = { reconlayer: '/v1/payment-intents', authmatech: '/v1/api/identity/sessions/ses_1' };

/** A client under test: sends one GET through its own retry logic and resolves the final status. */
type Client = (url: string, headers: Record<string, string>) => Promise<number>;

/** Authmatech's schedule for clients that take a delay function: 1 s, 2 s, 4 s … cap 60 s, ±100 ms. */
const authmatechDelayMs = (retry: number) => Math.min(60_000, 1000 * 2 ** (retry - 1)) + Math.random() * 200 - 100;

const statusOfError = (error: unknown): number => {
  if (error instanceof HTTPError) return error.response.status;
  if (error instanceof undiciErrors.RequestRetryError) return error.statusCode;
  const status = (error as AxiosError).response?.status ?? (error as { response?: { statusCode?: number } }).response?.statusCode;
  if (status === undefined) throw error;
  return status;
};
const settleStatus = (promise: Promise<number>) => promise.catch(statusOfError);

const viaGot =
  (retry: object): Client =>
  (url, headers) =>
    settleStatus(got(url, { headers, retry }).then((r) => r.statusCode));
const viaKy =
  (retry: object | number, extra: object = {}): Client =>
  (url, headers) =>
    settleStatus(ky(url, { headers, retry, ...extra }).then((r) => r.status));
const viaUndici =
  (options: ConstructorParameters<typeof RetryAgent>[1], base: () => Dispatcher = getGlobalDispatcher): Client =>
  async (url, headers) =>
    settleStatus(
      request(url, { headers, dispatcher: new RetryAgent(base(), options) }).then(async (r) => {
        await r.body.text();
        return r.statusCode;
      }),
    );
const viaAxios =
  (options: Parameters<typeof axiosRetry>[1], config: object = {}): Client =>
  (url, headers) => {
    const client = axios.create(config);
    axiosRetry(client, options);
    return settleStatus(client.get(url, { headers }).then((r) => r.status));
  };
const viaWithBackoff: Client = (url, headers) => withBackoff(() => fetch(url, { headers })).then((r) => r.status);
const viaRetryAfterFetch: Client = (url, headers) => createRetryAfterFetch()(url, { headers }).then((r) => r.status);
const viaBackoffFetch: Client = (url, headers) => createBackoffFetch()(url, { headers }).then((r) => r.status);

/** The configuration the README table recommends, per client and profile. */
const TUNED: Record<string, Record<Profile, Client>> = {
  got: { reconlayer: viaGot({ limit: 4, maxRetryAfter: 120_000 }), authmatech: viaGot({ limit: 4, backoffLimit: 60_000 }) },
  ky: {
    reconlayer: viaKy({ limit: 4, maxRetryAfter: 120_000 }),
    authmatech: viaKy({ limit: 4, delay: (n: number) => 1000 * 2 ** (n - 1), backoffLimit: 60_000, jitter: (ms: number) => ms + Math.random() * 200 - 100 }),
  },
  undici: {
    reconlayer: viaUndici({ maxRetries: 4, maxTimeout: 120_000 }),
    authmatech: viaUndici({ maxRetries: 4, minTimeout: 1000, timeoutFactor: 2, maxTimeout: 60_000 }),
  },
  'axios-retry': { reconlayer: viaAxios({ retries: 4 }), authmatech: viaAxios({ retries: 4, retryDelay: authmatechDelayMs }) },
  // The seed snippet ignores retry-after, so ReconLayer clients swap it for the retry-after policy.
  'fetch + withBackoff / createRetryAfterFetch': { reconlayer: viaRetryAfterFetch, authmatech: viaWithBackoff },
};

interface Row {
  client: string;
  profile: Profile;
  send: Client;
  status: number;
  attempts: number;
  violations: string[];
}

// The README table, proven. ReconLayer: the organization's window is spent, 60 s left (retry-after 60).
// Authmatech: three 429s (no retry-after, as documented), then the profile answers.
const ROWS: Row[] = [
  { client: 'got defaults', profile: 'reconlayer', send: viaGot({}), status: 200, attempts: 2, violations: [] },
  { client: 'ky defaults', profile: 'reconlayer', send: viaKy({}), status: 200, attempts: 2, violations: [] },
  { client: 'undici RetryAgent defaults', profile: 'reconlayer', send: viaUndici({}), status: 200, attempts: 3, violations: ['retry-before-retry-after'] },
  { client: 'axios-retry defaults', profile: 'reconlayer', send: viaAxios({}), status: 200, attempts: 2, violations: [] },
  {
    client: 'withBackoff (seed snippet)',
    profile: 'reconlayer',
    send: viaWithBackoff,
    status: 429,
    attempts: 5,
    violations: ['retry-before-retry-after', 'hammering-after-429'],
  },
  { client: 'got defaults', profile: 'authmatech', send: viaGot({}), status: 429, attempts: 3, violations: [] },
  { client: 'ky defaults', profile: 'authmatech', send: viaKy({}), status: 429, attempts: 3, violations: ['jitter-out-of-bounds'] },
  { client: 'ky with throwHttpErrors: false', profile: 'authmatech', send: viaKy({}, { throwHttpErrors: false }), status: 429, attempts: 1, violations: [] },
  { client: 'undici RetryAgent defaults', profile: 'authmatech', send: viaUndici({}), status: 200, attempts: 4, violations: ['jitter-out-of-bounds'] },
  {
    client: 'axios-retry defaults',
    profile: 'authmatech',
    send: viaAxios({}),
    status: 200,
    attempts: 4,
    violations: ['jitter-out-of-bounds', 'hammering-after-429'],
  },
  {
    client: 'axios-retry with validateStatus: () => true',
    profile: 'authmatech',
    send: viaAxios({}, { validateStatus: () => true }),
    status: 429,
    attempts: 1,
    violations: [],
  },
  { client: 'withBackoff (seed snippet)', profile: 'authmatech', send: viaWithBackoff, status: 200, attempts: 4, violations: [] },
  { client: 'createBackoffFetch (reference)', profile: 'authmatech', send: viaBackoffFetch, status: 200, attempts: 4, violations: [] },
  { client: 'createBackoffFetch (reference)', profile: 'reconlayer', send: viaBackoffFetch, status: 200, attempts: 2, violations: [] },
  { client: 'createRetryAfterFetch (reference)', profile: 'reconlayer', send: viaRetryAfterFetch, status: 200, attempts: 2, violations: [] },
  { client: 'createRetryAfterFetch (reference)', profile: 'authmatech', send: viaRetryAfterFetch, status: 200, attempts: 4, violations: [] },
  ...Object.entries(TUNED).flatMap(([client, byProfile]) =>
    (['reconlayer', 'authmatech'] as const).map((profile) => ({
      client: `${client} tuned`,
      profile,
      send: byProfile[profile],
      status: 200,
      attempts: profile === 'reconlayer' ? 2 : 4,
      violations: [],
    })),
  ),
];

describe('real clients against the nock helpers (fake timers)', () => {
  const apis = {} as Record<Profile, RateLimitedApi>;
  beforeAll(async () => {
    nock.disableNetConnect();
    apis.reconlayer = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: 'https://api.reconlayer.test' });
    apis.authmatech = await mockRateLimitedApi({ profile: 'authmatech', baseUrl: 'https://api.authmatech.test' });
  });
  beforeEach(() => {
    vi.useFakeTimers(FAKE);
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
  });
  afterEach(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    await apis.reconlayer.reset();
    await apis.authmatech.reset();
  });
  afterAll(async () => {
    await apis.reconlayer.restore();
    await apis.authmatech.restore();
  });

  test.each(ROWS)('$client vs $profile → $status after $attempts attempt(s), violations $violations', async (row) => {
    const api = apis[row.profile];
    const headers = CREDENTIALS[row.profile];
    if (row.profile === 'reconlayer') await api.exhaust(headers);
    else api.script('*', [rateLimited(3), passThrough()]);
    const status = await api.settle(row.send(`${api.baseUrl}${PATHS[row.profile]}`, headers), vi);
    expect(status).toBe(row.status);
    expect(api.attempts).toHaveLength(row.attempts);
    expect([...new Set(findRetryViolations(api.attempts, row.profile).map((v) => v.check))]).toEqual(row.violations);
  });

  test('undici RetryAgent defaults cap retry-after at maxTimeout (30 s): the retry lands 30 s early', async () => {
    const api = apis.reconlayer;
    await api.exhaust(CREDENTIALS.reconlayer);
    await api.settle(viaUndici({})(`${api.baseUrl}${PATHS.reconlayer}`, CREDENTIALS.reconlayer), vi);
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
  beforeEach(() => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  afterAll(() => {
    nock.enableNetConnect();
  });

  test('every tuned client recovers from a spent 1 s window, in parallel (real-time smoke, ~1 s)', async () => {
    const startedMs = performance.now();
    const runs = Object.entries(TUNED).flatMap(([client, byProfile]) =>
      (['reconlayer', 'authmatech'] as const).map(async (profile) => {
        const lines: string[] = [];
        const mock = await start(profile, '1s', lines);
        await spend(mock, profile);
        const send =
          client === 'undici'
            ? profile === 'reconlayer'
              ? viaUndici({ maxRetries: 4, maxTimeout: 120_000 }, () => new Agent())
              : viaUndici({ maxRetries: 4, minTimeout: 1000, maxTimeout: 60_000 }, () => new Agent())
            : byProfile[profile];
        const status = await send(`${mock.url}${PATHS[profile]}`, CREDENTIALS[profile]);
        await new Promise((resolve) => setImmediate(resolve));
        return { client, profile, status, log: statuses(lines) };
      }),
    );
    const results = await Promise.all(runs);
    for (const result of results) {
      expect(result, `${result.client} vs ${result.profile}`).toMatchObject({ status: 200, log: [200, 200, 429, 200] });
    }
    console.log(`live mock, 10 client runs in parallel: ${(performance.now() - startedMs).toFixed(0)} ms real`);
  });

  test('the reference clients run a full 60 s window in virtual time on the mock clock', async () => {
    const startedMs = performance.now();
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
    expect(performance.now() - startedMs).toBeLessThan(2_000);
  });
});

describe('nock and undici', () => {
  test("nock 15 sets undici's global dispatcher, so undici.request through it is intercepted", async () => {
    nock.disableNetConnect();
    const scope = nock('https://undici.example.test').get('/ping').reply(204);
    const res = await request('https://undici.example.test/ping');
    expect(res.statusCode).toBe(204);
    scope.done();
    nock.enableNetConnect();
  });

  test('isNetworkOrIdempotentRequestError treats a GET 429 as retryable in axios-retry 4.5', () => {
    const error = { config: { method: 'get' }, response: { status: 429 }, code: 'ERR_BAD_REQUEST' } as unknown as AxiosError;
    expect(isNetworkOrIdempotentRequestError(error)).toBe(true);
    expect(isNetworkOrIdempotentRequestError({ ...error, config: { method: 'post' } } as unknown as AxiosError)).toBe(false);
  });
});
