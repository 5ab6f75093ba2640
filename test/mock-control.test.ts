import { afterEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { rawRequest } from './support/raw-request.js';

const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const LIST = '/v1/payment-intents';
const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

describe('test control API', () => {
  it('is off by default: /__ratelimit is an ordinary limited path', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 1 });
    const first = await rawRequest(mock.url, { method: 'DELETE', path: '/__ratelimit/budgets' });
    expect(first.status).toBe(404);
    expect(first.headers['x-ratelimit-remaining']).toBe('0');
    expect((await rawRequest(mock.url, { path: '/__ratelimit/clock' })).status).toBe(429);
  });

  it('reads and resets budgets, and drives a virtual clock', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 2, control: true });
    const { url } = mock;
    expect((await rawRequest(url, { method: 'POST', path: '/__ratelimit/clock', ...json({ mode: 'virtual' }) })).json).toMatchObject({ mode: 'virtual' });
    await rawRequest(url, { path: LIST, headers: ACME });
    await rawRequest(url, { path: LIST, headers: ACME });
    expect((await rawRequest(url, { path: LIST, headers: ACME })).status).toBe(429);
    const budget = await rawRequest(url, { path: '/__ratelimit/budgets/organization:org_acme' });
    expect(budget.json).toEqual({
      key: 'organization:org_acme',
      limit: 2,
      remaining: 0,
      resetSeconds: 60,
      limits: [{ name: 'default', bucket: 'default', limit: 2, remaining: 0, resetSeconds: 60 }],
    });
    const listed = (await rawRequest(url, { path: '/__ratelimit/budgets' })).json as { budgets: Array<{ key: string }> };
    expect(listed.budgets.map((b) => b.key)).toContain('organization:org_acme');
    await rawRequest(url, { method: 'POST', path: '/__ratelimit/clock/advance', ...json({ by: '1m' }) });
    expect((await rawRequest(url, { path: LIST, headers: ACME })).status).toBe(200);
    await rawRequest(url, { path: LIST, headers: ACME });
    expect((await rawRequest(url, { method: 'DELETE', path: '/__ratelimit/budgets/organization:org_acme' })).status).toBe(200);
    expect((await rawRequest(url, { path: LIST, headers: ACME })).headers['x-ratelimit-remaining']).toBe('1');
    const bad = await rawRequest(url, { method: 'POST', path: '/__ratelimit/clock/advance', ...json({ by: 'soon' }) });
    expect(bad.status).toBe(400);
    expect((bad.json as { error: string }).error).toMatch(/send \{"ms":60000\}/);
  });

  it("shows and resets a client's budget in every limit (several limits, a budget of one operation)", async () => {
    mock = await startMockServer({ spec: 'test/fixtures/two-limits.yaml', env: {}, control: true });
    const { url } = mock;
    await rawRequest(url, { method: 'POST', path: '/__ratelimit/clock', ...json({ mode: 'virtual' }) });
    await rawRequest(url, { path: '/v1/items' });
    await rawRequest(url, { path: '/v1/search' });
    const key = encodeURIComponent('ip:127.0.0.1');
    const budget = (await rawRequest(url, { path: `/__ratelimit/budgets/${key}` })).json as { limits: Array<Record<string, unknown>> };
    expect(budget).toMatchObject({ key: 'ip:127.0.0.1', limit: 2, remaining: 1 });
    expect(budget.limits).toEqual([
      { name: 'burst', bucket: 'burst', limit: 2, remaining: 1, resetSeconds: 1 },
      { name: 'quota', bucket: 'quota', limit: 4, remaining: 3, resetSeconds: 3600 },
      { name: 'search', bucket: 'search@GET /v1/search', limit: 1, remaining: 0, resetSeconds: 60 },
    ]);
    const listed = (await rawRequest(url, { path: '/__ratelimit/budgets' })).json as { budgets: Array<{ key: string; limits: Array<{ name: string }> }> };
    expect(listed.budgets.map((b) => [b.key, b.limits.map((l) => l.name).sort()])).toEqual([['ip:127.0.0.1', ['burst', 'quota', 'search']]]);
    expect((await rawRequest(url, { method: 'DELETE', path: `/__ratelimit/budgets/${key}` })).status).toBe(200);
    expect((await rawRequest(url, { path: '/v1/search' })).status).toBe(200);
    expect((await rawRequest(url, { path: '/v1/items' })).headers.ratelimit).toBe('"burst";r=1;t=1, "quota";r=3;t=3600');
  });

  it('scripts faults: the next N matching requests get 429, 500 or latency, then normal service', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, control: true });
    const { url } = mock;
    const added = await rawRequest(url, {
      method: 'POST',
      path: '/__ratelimit/faults',
      ...json({ kind: 'status-429', count: 2, path: '/v1/payment-intents' }),
    });
    expect(added.status).toBe(201);
    await rawRequest(url, { method: 'POST', path: '/__ratelimit/faults', ...json({ kind: 'status-500', count: 1 }) });
    const first = await rawRequest(url, { path: LIST, headers: ACME });
    const second = await rawRequest(url, { path: LIST, headers: ACME });
    const third = await rawRequest(url, { path: LIST, headers: ACME });
    const fourth = await rawRequest(url, { path: LIST, headers: ACME });
    expect([first.status, second.status, third.status, fourth.status]).toEqual([429, 429, 500, 200]);
    expect(first.headers['retry-after']).toBe('60');
    expect(first.json).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(fourth.headers['x-ratelimit-remaining']).toBe('298');
    await rawRequest(url, { method: 'POST', path: '/__ratelimit/faults', ...json({ kind: 'latency', count: 1, latencyMs: 150 }) });
    const t0 = performance.now();
    expect((await rawRequest(url, { path: LIST, headers: ACME })).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(((await rawRequest(url, { path: '/__ratelimit/faults' })).json as { faults: unknown[] }).faults).toEqual([]);
  });

  it("scripts take the helpers' step vocabulary as JSON, listed with the steps left; bad ones get a 400 that says what to send", async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, control: true });
    const { url } = mock;
    const post = (body: unknown) => rawRequest(url, { method: 'POST', path: '/__ratelimit/faults', ...json(body) });
    const added = await post({ kind: 'reply', times: 2, status: 418, body: { teapot: true }, method: 'get', path: '/v1/payment-intents/*' });
    expect([added.status, added.json]).toEqual([
      201,
      { id: 1, method: 'GET', path: '/v1/payment-intents/*', steps: [{ kind: 'reply', times: 2, left: 2, status: 418, body: { teapot: true } }] },
    ]);
    expect((await rawRequest(url, { path: '/v1/payment-intents/pi_1', headers: ACME })).status).toBe(418);
    const listed = (await rawRequest(url, { path: '/__ratelimit/faults' })).json as { faults: Array<{ steps: Array<{ left: number }> }> };
    expect(listed.faults.map((f) => f.steps.map((s) => s.left))).toEqual([[1]]);
    for (const [body, reason] of [
      [{ kind: 'bogus' }, /"kind" must be one of rate-limited, server-error, pass, reply/],
      [{ kind: 'rate-limited', path: 'v1/x' }, /"path" must be a path pattern that starts with "\/"/],
      [{ kind: 'reply', status: 200, headers: { 'x-a': 'b\r\nx: y' } }, /no CR or LF/],
      [{ kind: 'pass', method: 5 }, /"method" must be a string/],
    ] as const) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((res.json as { error: string }).error).toMatch(/^Failed to add a scripted step: /);
      expect((res.json as { error: string }).error).toMatch(reason);
    }
    expect((await rawRequest(url, { method: 'DELETE', path: '/__ratelimit/faults' })).json).toEqual({ faults: [] });
    expect((await rawRequest(url, { path: '/v1/payment-intents/pi_1', headers: ACME })).status).toBe(200);
  });

  it('requires the token when one is set, and refuses callers without it', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, controlToken: 'a-very-long-test-token' });
    expect((await rawRequest(mock.url, { path: '/__ratelimit/clock' })).status).toBe(403);
    expect((await rawRequest(mock.url, { path: '/__ratelimit/clock', headers: { 'x-ratelimit-control-token': 'wrong' } })).status).toBe(403);
    expect((await rawRequest(mock.url, { path: '/__ratelimit/clock', headers: { 'x-ratelimit-control-token': 'a-very-long-test-token' } })).status).toBe(200);
  });
});
