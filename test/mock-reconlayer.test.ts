import { afterEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { rawRequest, sendSequential } from './support/raw-request.js';

const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const ACME_CI = { authorization: 'Bearer rl_test_acme_ci' };
const GLOBEX = { authorization: 'Bearer rl_test_globex_primary' };
const LIST = '/v1/payment-intents?limit=25&offset=0';

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function start(options: Parameters<typeof startMockServer>[0] = {}) {
  mock = await startMockServer({ profile: 'reconlayer', env: {}, ...options });
  mock.clock.freeze();
  return mock;
}

describe('ReconLayer mock: budget and headers', () => {
  it('serves the example with x-ratelimit-* and counts down by one per request', async () => {
    const { url } = await start();
    const first = await rawRequest(url, { path: LIST, headers: ACME });
    const second = await rawRequest(url, { path: LIST, headers: ACME });
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('300');
    expect(first.headers['x-ratelimit-remaining']).toBe('299');
    expect(first.headers['x-ratelimit-reset']).toBe('60');
    expect(second.headers['x-ratelimit-remaining']).toBe('298');
    expect(first.headers['retry-after']).toBeUndefined();
    expect(first.json).toMatchObject({ data: expect.any(Array) });
  });

  it('answers request 301 with the documented 429: headers, retry-after = reset, Fastify body', async () => {
    const m = await start();
    const ok = await sendSequential(m.url, 300, { path: LIST, headers: ACME });
    expect(ok.every((r) => r.status === 200)).toBe(true);
    expect(ok.at(-1)?.headers['x-ratelimit-remaining']).toBe('0');
    m.clock.advance(22_000);
    const limited = await rawRequest(m.url, { path: LIST, headers: ACME });
    expect(limited.status).toBe(429);
    expect(limited.headers['x-ratelimit-limit']).toBe('300');
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    expect(limited.headers['x-ratelimit-reset']).toBe('38');
    expect(limited.headers['retry-after']).toBe('38');
    expect(limited.headers['content-type']).toMatch(/^application\/json/);
    expect(limited.json).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Rate limit exceeded, retry in 38 seconds' });
  });

  it('gives the budget back when the window ends (virtual clock, no waiting)', async () => {
    const m = await start({ limit: 2 });
    await sendSequential(m.url, 2, { path: LIST, headers: ACME });
    expect((await rawRequest(m.url, { path: LIST, headers: ACME })).status).toBe(429);
    m.clock.advance(59_999);
    expect((await rawRequest(m.url, { path: LIST, headers: ACME })).status).toBe(429);
    m.clock.advance(1);
    const back = await rawRequest(m.url, { path: LIST, headers: ACME });
    expect(back.status).toBe(200);
    expect(back.headers['x-ratelimit-remaining']).toBe('1');
  });

  it('words "retry in 1 minute" when a whole minute is left, as the doc example shows', async () => {
    const m = await start({ limit: 1 });
    await rawRequest(m.url, { path: LIST, headers: ACME });
    const limited = await rawRequest(m.url, { path: LIST, headers: ACME });
    expect(limited.json).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Rate limit exceeded, retry in 1 minute' });
  });
});

describe('ReconLayer mock: keying', () => {
  it('shares one budget across every key of an organization and leaves other orgs alone', async () => {
    const m = await start({ limit: 3 });
    await rawRequest(m.url, { path: LIST, headers: ACME });
    await rawRequest(m.url, { path: LIST, headers: ACME_CI });
    const third = await rawRequest(m.url, { path: LIST, headers: ACME });
    expect(third.headers['x-ratelimit-remaining']).toBe('0');
    expect((await rawRequest(m.url, { path: LIST, headers: ACME_CI })).status).toBe(429);
    const other = await rawRequest(m.url, { path: LIST, headers: GLOBEX });
    expect(other.status).toBe(200);
    expect(other.headers['x-ratelimit-remaining']).toBe('2');
  });

  it('limits requests that resolve to no organization by IP, before auth (401s spend budget)', async () => {
    const m = await start({ limit: 2 });
    const anon = await sendSequential(m.url, 3, { path: LIST });
    expect(anon.map((r) => r.status)).toEqual([401, 401, 429]);
    expect(anon[0]?.headers['x-ratelimit-remaining']).toBe('1');
    const bogus = await rawRequest(m.url, { path: LIST, headers: { authorization: 'Bearer not-a-key' } });
    expect(bogus.status).toBe(429);
    const fromOtherIp = await rawRequest(m.url, { path: LIST, localAddress: '127.0.0.2' });
    expect(fromOtherIp.status).toBe(401);
    expect((await rawRequest(m.url, { path: LIST, headers: ACME })).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless --trust-proxy', async () => {
    const m = await start({ limit: 1 });
    await rawRequest(m.url, { path: LIST });
    const spoofed = await rawRequest(m.url, { path: LIST, headers: { 'x-forwarded-for': '203.0.113.5' } });
    expect(spoofed.status).toBe(429);
    await m.close();
    const trusting = await start({ limit: 1, trustProxy: true });
    await rawRequest(trusting.url, { path: LIST, headers: { 'x-forwarded-for': '203.0.113.5' } });
    const otherClient = await rawRequest(trusting.url, { path: LIST, headers: { 'x-forwarded-for': '203.0.113.6' } });
    expect(otherClient.status).toBe(401);
  });
});

describe('ReconLayer mock: exempt paths', () => {
  const exempt: Array<[string, string]> = [
    ['GET', '/health'],
    ['GET', '/openapi.json'],
    ['GET', '/openapi.yaml'],
    ['GET', '/docs'],
    ['GET', '/docs/quickstart'],
    ['POST', '/webhooks/stripe'],
  ];
  it.each(exempt)('%s %s is served with the budget exhausted, without rate-limit headers or spending', async (method, path) => {
    const m = await start({ limit: 1 });
    await rawRequest(m.url, { path: LIST, headers: ACME });
    expect((await rawRequest(m.url, { path: LIST, headers: ACME })).status).toBe(429);
    const res = await rawRequest(m.url, {
      method,
      path,
      headers: { ...ACME, 'content-type': 'application/json' },
      body: method === 'POST' ? '{"id":"evt_1"}' : undefined,
    });
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']) expect(res.headers[name]).toBeUndefined();
    m.clock.advance(60_000);
    for (let i = 0; i < 5; i += 1) await rawRequest(m.url, { method, path, headers: ACME, body: method === 'POST' ? '{}' : undefined });
    expect((await rawRequest(m.url, { path: LIST, headers: ACME })).headers['x-ratelimit-remaining']).toBe('0');
  });

  it.each([
    '/healthz',
    '/docsx',
    '/health/',
    '//health',
    '/./health',
    '/v1/../health',
    '/HEALTH',
    '/h%65alth',
    '/health;v=1',
    `${LIST}&next=/health`,
    '/webhooks',
  ])('near miss %s is not exempt', async (path) => {
    const m = await start({ limit: 1 });
    await rawRequest(m.url, { path: LIST, headers: ACME });
    const res = await rawRequest(m.url, { path, headers: ACME });
    expect(res.status).toBe(429);
  });
});

describe('ReconLayer mock: overrides', () => {
  it('honours RATE_LIMIT_MAX and RATE_LIMIT_WINDOW, and flags win over env', async () => {
    const m = await start({ env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW: '10s' } });
    const res = await rawRequest(m.url, { path: LIST, headers: ACME });
    expect(res.headers['x-ratelimit-limit']).toBe('5');
    expect(res.headers['x-ratelimit-reset']).toBe('10');
    await m.close();
    const flagged = await start({ env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW: '10s' }, limit: 7, window: '2s' });
    const res2 = await rawRequest(flagged.url, { path: LIST, headers: ACME });
    expect(res2.headers['x-ratelimit-limit']).toBe('7');
    expect(res2.headers['x-ratelimit-reset']).toBe('2');
  });

  it.each([
    [{ RATE_LIMIT_MAX: 'abc' }, /RATE_LIMIT_MAX: "abc" is not a positive whole number/],
    [{ RATE_LIMIT_WINDOW: '1 minutee' }, /RATE_LIMIT_WINDOW: "1 minutee" is not a duration/],
  ])('rejects bad env %j with a message that names it', async (env, message) => {
    await expect(startMockServer({ profile: 'reconlayer', env })).rejects.toThrow(message);
  });

  it('offers sliding-window and token-bucket', async () => {
    const sliding = await start({ limit: 2, algorithm: 'sliding-window' });
    await rawRequest(sliding.url, { path: LIST, headers: ACME });
    sliding.clock.advance(30_000);
    await rawRequest(sliding.url, { path: LIST, headers: ACME });
    expect((await rawRequest(sliding.url, { path: LIST, headers: ACME })).status).toBe(429);
    sliding.clock.advance(30_000);
    expect((await rawRequest(sliding.url, { path: LIST, headers: ACME })).status).toBe(200);
    await sliding.close();
    const bucket = await start({ limit: 2, algorithm: 'token-bucket' });
    await sendSequential(bucket.url, 2, { path: LIST, headers: ACME });
    const limited = await rawRequest(bucket.url, { path: LIST, headers: ACME });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('30');
  });
});

describe('ReconLayer mock: idempotency', () => {
  const create = (key: string, body: string) =>
    rawRequest(mock?.url ?? '', {
      method: 'POST',
      path: '/v1/payment-intents',
      headers: { ...ACME, 'content-type': 'application/json', 'idempotency-key': key },
      body,
    });

  it('replays the first result for a retry with the same key and body, and creates nothing new', async () => {
    await start();
    const body = JSON.stringify({ amount: 1000, currency: 'usd' });
    const first = await create('key-1', body);
    const retry = await create('key-1', body);
    const other = await create('key-2', body);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect((retry.json as { id: string }).id).toBe((first.json as { id: string }).id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((other.json as { id: string }).id).not.toBe((first.json as { id: string }).id);
  });

  it('refuses the same key with a different body with a clear 422', async () => {
    await start();
    await create('key-1', JSON.stringify({ amount: 1000, currency: 'usd' }));
    const reused = await create('key-1', JSON.stringify({ amount: 2000, currency: 'usd' }));
    expect(reused.status).toBe(422);
    expect((reused.json as { message: string }).message).toMatch(/Idempotency-Key was already used with a different request body/);
  });

  it('a 429 consumes no key: the retry after the window creates the resource', async () => {
    const m = await start({ limit: 1 });
    await rawRequest(m.url, { path: LIST, headers: ACME });
    const body = JSON.stringify({ amount: 1000, currency: 'usd' });
    expect((await create('key-9', body)).status).toBe(429);
    m.clock.advance(60_000);
    const created = await create('key-9', body);
    expect(created.status).toBe(201);
    expect(created.headers['idempotent-replayed']).toBeUndefined();
  });
});
