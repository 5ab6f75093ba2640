import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import nock from 'nock';
import { describe, expect, test, vi } from 'vitest';
import { delayed, mockRateLimitedApi, passThrough, rateLimited, replyWith, serverError } from '../src/nock/index.js';
import { AUTH, RECON, useNockedProfiles } from './support/nocked-profiles.js';

const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const ACME_CI = { authorization: 'Bearer rl_test_acme_ci' };
const GLOBEX = { authorization: 'Bearer rl_test_globex_primary' };
const ALPHA = { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key' };

const nocked = useNockedProfiles();

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });
const headersOf = (res: Response) => Object.fromEntries(res.headers);

describe('ReconLayer budget behind nock', () => {
  test('a spent budget answers the profile 429: headers, Fastify body, time left worded', async () => {
    await nocked.recon.exhaust(ACME);
    vi.advanceTimersByTime(22_000);
    const res = await get(`${RECON}/v1/payment-intents`, ACME);
    expect(res.status).toBe(429);
    expect(headersOf(res)).toMatchObject({ 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '38', 'retry-after': '38' });
    expect(await res.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Rate limit exceeded, retry in 38 seconds' });
  });

  test('every limited answer carries the budget headers, counting down', async () => {
    const first = await get(`${RECON}/v1/payment-intents`, ACME);
    const second = await get(`${RECON}/v1/payment-intents`, ACME);
    expect(first.status).toBe(200);
    expect(headersOf(first)).toMatchObject({ 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '299', 'x-ratelimit-reset': '60' });
    expect(second.headers.get('x-ratelimit-remaining')).toBe('298');
    expect(second.headers.get('retry-after')).toBeNull();
  });

  test('request 301 is the first 429, and the window resets on the fake clock', async () => {
    const api = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: 'https://small.reconlayer.test', limit: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await get('https://small.reconlayer.test/v1/payment-intents', ACME)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      vi.advanceTimersByTime(59_999);
      expect((await get('https://small.reconlayer.test/v1/payment-intents', ACME)).status).toBe(429);
      vi.advanceTimersByTime(1);
      expect((await get('https://small.reconlayer.test/v1/payment-intents', ACME)).status).toBe(200);
    } finally {
      await api.restore();
    }
  });

  test('the budget is per organization: two keys of one org share it, another org and IP callers do not', async () => {
    await nocked.recon.exhaust(ACME);
    expect((await get(`${RECON}/v1/payment-intents`, ACME_CI)).status).toBe(429);
    expect((await get(`${RECON}/v1/payment-intents`, GLOBEX)).status).toBe(200);
    const unknown = await get(`${RECON}/v1/payment-intents`, { authorization: 'Bearer rl_unknown' });
    expect(unknown.headers.get('x-ratelimit-remaining')).toBe('299');
    expect(nocked.recon.attempts.map((a) => a.key)).toEqual(['organization:org_acme', 'organization:org_globex', 'ip:127.0.0.1']);
  });

  test('exempt paths are left alone: no budget spent, no headers, even when the budget is gone', async () => {
    await nocked.recon.exhaust();
    for (const path of ['/health', '/openapi.json', '/docs', '/docs/errors', '/webhooks/stripe']) {
      const res = await fetch(`${RECON}${path}`, {
        method: path.startsWith('/webhooks') ? 'POST' : 'GET',
        body: path.startsWith('/webhooks') ? '{}' : undefined,
      });
      expect(res.status, path).not.toBe(429);
      expect(res.headers.get('x-ratelimit-limit'), path).toBeNull();
    }
    expect(nocked.recon.attempts.every((a) => a.scope === 'exempt' && a.key === undefined)).toBe(true);
    expect((await get(`${RECON}/v1/payment-intents`)).status).toBe(429);
  });

  test('an idempotent POST retried with the same key replays the first result', async () => {
    const post = () =>
      fetch(`${RECON}/v1/payment-intents`, {
        method: 'POST',
        headers: { ...ACME, 'idempotency-key': 'k-1', 'content-type': 'application/json' },
        body: '{"amount":1000,"currency":"usd"}',
      });
    const first = await post();
    const again = await post();
    expect(first.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    expect(nocked.recon.attempts.map((a) => a.idempotencyKey)).toEqual(['k-1', 'k-1']);
  });
});

describe('Authmatech budget behind nock', () => {
  test('1000 per minute per X-CLIENT-ID, the envelope 429 and no rate-limit headers', async () => {
    await nocked.auth.exhaust(ALPHA);
    const res = await get(`${AUTH}/v1/api/identity/sessions/ses_1`, ALPHA);
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({
      success: false,
      messages: [{ type: 'FAILURE', message: 'Rate limit exceeded.', httpStatus: 'TOO_MANY_REQUESTS' }],
      data: null,
    });
    expect([...res.headers.keys()].filter((h) => h.startsWith('x-ratelimit') || h === 'retry-after')).toEqual([]);
    const beta = await get(`${AUTH}/v1/api/identity/sessions/ses_1`, { 'x-client-id': 'client_beta', 'x-api-key': 'am_test_beta_key' });
    expect(beta.status).toBe(200);
    expect(nocked.auth.attempts.map((a) => [a.key, a.remaining])).toEqual([
      ['client:client_alpha', 0],
      ['client:client_beta', 999],
    ]);
  });

  test('only /v1/api/** counts; unknown client ids fall back to the IP', async () => {
    await nocked.auth.exhaust();
    expect((await get(`${AUTH}/health`)).status).toBe(200);
    expect((await get(`${AUTH}/v1/status`)).status).toBe(200);
    expect((await get(`${AUTH}/v1/api/identity/sessions/ses_1`, { 'x-client-id': 'made_up' })).status).toBe(429);
    expect(nocked.auth.attempts.map((a) => a.scope)).toEqual(['unlimited', 'unlimited', 'limited']);
  });
});

describe('scripted sequences', () => {
  test('N × 429 then 200: scripted 429s carry the profile headers and spend no budget', async () => {
    nocked.recon.script('GET /v1/payment-intents', [rateLimited(2, { retryAfterSeconds: 5 }), passThrough()]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await get(`${RECON}/v1/payment-intents`, ACME);
      statuses.push(res.status);
      if (res.status === 429) expect(headersOf(res)).toMatchObject({ 'retry-after': '5', 'x-ratelimit-reset': '5', 'x-ratelimit-remaining': '0' });
    }
    expect(statuses).toEqual([429, 429, 200]);
    expect(nocked.recon.attempts.at(-1)?.remaining).toBe(299);
    expect(nocked.recon.attempts.map((a) => a.scripted)).toEqual(['429', '429', undefined]);
    nocked.recon.done();
  });

  test('500s, custom replies and latency; other paths keep the profile behaviour', async () => {
    nocked.auth.script('/v1/api/**', [serverError(1), replyWith(503, { busy: true }, { 'retry-after': '2' }), delayed(2_000)]);
    expect((await get(`${AUTH}/v1/status`)).status).toBe(200);
    expect((await get(`${AUTH}/v1/api/identity/sessions/ses_1`, ALPHA)).status).toBe(500);
    const busy = await get(`${AUTH}/v1/api/identity/sessions/ses_1`, ALPHA);
    expect([busy.status, busy.headers.get('retry-after'), await busy.json()]).toEqual([503, '2', { busy: true }]);
    const slow = get(`${AUTH}/v1/api/identity/sessions/ses_1`, ALPHA);
    const res = await nocked.auth.settle(slow, vi);
    expect(res.status).toBe(200);
    const last = nocked.auth.attempts.at(-1);
    expect(last && last.respondedAtMs - last.atMs).toBe(2_000);
    expect(nocked.auth.attempts.map((a) => a.remaining)).toEqual([undefined, 999, 998, 997]);
  });

  test('unused steps are reported, as scope.done() does', async () => {
    nocked.recon.script('GET /v1/payment-intents', [rateLimited(3), passThrough()]);
    nocked.recon.script({ method: 'POST', path: '/v1/payment-intents' }, [serverError(2)]);
    await get(`${RECON}/v1/payment-intents`, ACME);
    expect(nocked.recon.isDone()).toBe(false);
    expect(nocked.recon.pendingMocks()).toEqual([`GET ${RECON}/v1/payment-intents: 429 ×2, then pass ×1`, `POST ${RECON}/v1/payment-intents: 500 ×2`]);
    expect(() => nocked.recon.done()).toThrow(
      /Failed to use every scripted response: 2 script\(s\) still have steps:\n {2}GET https:\/\/api\.reconlayer\.test\/v1\/payment-intents: 429 ×2, then pass ×1/,
    );
    expect(nock.isDone()).toBe(true);
  });

  test('a script path must be absolute', () => {
    expect(() => nocked.recon.script('GET v1/payment-intents', [])).toThrow(/must start with "\/"/);
  });
});

describe('attempt log and clock', () => {
  test('records every attempt with its virtual time and budget', async () => {
    const start = Date.now();
    await get(`${RECON}/v1/payment-intents?limit=2`, ACME);
    vi.advanceTimersByTime(1_500);
    await fetch(`${RECON}/v1/payment-intents`, { method: 'POST', headers: { ...GLOBEX, 'idempotency-key': 'a' }, body: '{"amount":1}' });
    expect(nocked.recon.attempts).toMatchObject([
      { seq: 1, atMs: start, method: 'GET', path: '/v1/payment-intents?limit=2', key: 'organization:org_acme', scope: 'limited', status: 200, remaining: 299 },
      { seq: 2, atMs: start + 1_500, method: 'POST', idempotencyKey: 'a', key: 'organization:org_globex', status: 201 },
    ]);
    expect(nocked.recon.attempts[1]?.bodySha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a base path prefix scopes the interceptors', async () => {
    const api = await mockRateLimitedApi({ profile: 'authmatech', baseUrl: 'https://gw.authmatech.test/am' });
    try {
      const res = await get('https://gw.authmatech.test/am/v1/api/identity/sessions/ses_1', ALPHA);
      expect(res.status).toBe(200);
      expect(api.attempts[0]?.path).toBe('/v1/api/identity/sessions/ses_1');
      // nock 15 answers fetch calls it cannot match on a mocked host with 501 ERR_NOCK_NO_MATCH.
      const outside = await get('https://gw.authmatech.test/other');
      expect([outside.status, ((await outside.json()) as { code: string }).code]).toEqual([501, 'ERR_NOCK_NO_MATCH']);
    } finally {
      await api.restore();
    }
  });

  test('restore() removes the interceptors; a bad baseUrl fails in one line', async () => {
    const api = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: 'https://gone.reconlayer.test' });
    await api.restore();
    const after = await get('https://gone.reconlayer.test/health');
    expect([after.status, ((await after.json()) as { code: string }).code]).toEqual([501, 'ERR_NOCK_NO_MATCH']);
    expect(api.attempts).toEqual([]);
    await expect(mockRateLimitedApi({ profile: 'reconlayer', baseUrl: 'api.test' })).rejects.toThrow(
      /Failed to mock the API at "api.test": it is not an absolute URL/,
    );
  });
});

describe('optional peer dependencies', () => {
  const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
  const importsOf = (file: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(file)) return seen;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:import|export)[^'"]*from\s+'([^']+)'|import\('([^']+)'\)/g)) {
      const spec = match[1] ?? match[2] ?? '';
      if (spec.startsWith('.')) importsOf(join(dirname(file), spec.replace(/\.js$/, '.ts')), seen);
      else seen.add(spec);
    }
    return seen;
  };

  test.each(['src/index.ts', 'src/mock/index.ts', 'src/client/index.ts'])('%s never loads nock or vitest', (entry) => {
    const loaded = [...importsOf(join(root, entry))];
    expect(loaded.filter((spec) => /^(nock|vitest)(\/|$)/.test(spec))).toEqual([]);
  });

  test('src/nock does load nock', () => {
    expect([...importsOf(join(root, 'src/nock/index.ts'))]).toContain('nock');
  });
});
