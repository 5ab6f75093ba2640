import { afterEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { rawRequest, sendSequential } from './support/raw-request.js';

const ALPHA = { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key' };
const BETA = { 'x-client-id': 'client_beta', 'x-api-key': 'am_test_beta_key' };
const ENVELOPE_429 = { success: false, messages: [{ type: 'FAILURE', message: 'Rate limit exceeded.', httpStatus: 'TOO_MANY_REQUESTS' }], data: null };
const USAGE = '/v1/api/portal/analytics/usage';

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function start(options: Parameters<typeof startMockServer>[0] = {}) {
  mock = await startMockServer({ profile: 'authmatech', env: {}, ...options });
  mock.clock.freeze();
  return mock;
}

describe('Authmatech mock', () => {
  it('allows 1000 requests per minute per client, then answers the exact envelope with no rate-limit headers', async () => {
    const m = await start();
    const ok = await sendSequential(m.url, 1000, { path: USAGE, headers: ALPHA });
    expect(ok.filter((r) => r.status === 200)).toHaveLength(1000);
    const limited = await rawRequest(m.url, { path: USAGE, headers: ALPHA });
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual(ENVELOPE_429);
    expect(limited.headers['content-type']).toMatch(/^application\/json/);
    for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after', 'ratelimit', 'ratelimit-policy']) {
      expect(limited.headers[name]).toBeUndefined();
      expect(ok[0]?.headers[name]).toBeUndefined();
    }
    expect((await rawRequest(m.url, { path: USAGE, headers: BETA })).status).toBe(200);
    m.clock.advance(60_000);
    expect((await rawRequest(m.url, { path: USAGE, headers: ALPHA })).status).toBe(200);
  });

  it('counts every depth of /v1/api/** and nothing outside it', async () => {
    const m = await start({ limit: 3 });
    await rawRequest(m.url, { method: 'POST', path: '/v1/api/identity/verify', headers: { ...ALPHA, 'content-type': 'application/json' }, body: '{}' });
    await rawRequest(m.url, { path: '/v1/api/identity/sessions/ses_1', headers: ALPHA });
    for (let i = 0; i < 5; i += 1) {
      expect((await rawRequest(m.url, { path: '/health' })).status).toBe(200);
      expect((await rawRequest(m.url, { path: '/v1/status' })).status).toBe(200);
    }
    expect((await rawRequest(m.url, { path: USAGE, headers: ALPHA })).status).toBe(200);
    expect((await rawRequest(m.url, { path: '/v1/api/connect/imports/imp_1', headers: ALPHA })).status).toBe(429);
    expect((await rawRequest(m.url, { path: '/v1/api/no/such/route/at/depth', headers: ALPHA })).status).toBe(429);
  });

  it('keys unknown or missing client ids by IP, so made-up ids mint no budget', async () => {
    const m = await start({ limit: 2 });
    const statuses = [];
    for (const id of ['made_up_1', 'made_up_2', 'made_up_3']) statuses.push((await rawRequest(m.url, { path: USAGE, headers: { 'x-client-id': id } })).status);
    expect(statuses).toEqual([401, 401, 429]);
    expect((await rawRequest(m.url, { path: USAGE })).status).toBe(429);
    expect((await rawRequest(m.url, { path: USAGE, headers: ALPHA })).status).toBe(200);
  });

  it('adds the x-ratelimit-* family only when asked (--emit-headers)', async () => {
    const m = await start({ emitHeaders: true, limit: 1 });
    const ok = await rawRequest(m.url, { path: USAGE, headers: ALPHA });
    expect(ok.headers['x-ratelimit-limit']).toBe('1');
    const limited = await rawRequest(m.url, { path: USAGE, headers: ALPHA });
    expect(limited.headers['retry-after']).toBe('60');
    expect(limited.json).toEqual(ENVELOPE_429);
  });
});
