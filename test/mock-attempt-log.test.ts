import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedAttempt } from '../src/client/index.js';
import { createAttemptRecorder } from '../src/mock/attempt-recorder.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { mockRateLimitedApi } from '../src/nock/index.js';

// The live mock keeps an attempt log while its control API is on, with the nock helper's fields, per budget
// key and bounded, readable at GET /__ratelimit/attempts[/<key>] and cleared by DELETE.
const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const BODY = JSON.stringify({ amount: 1000, currency: 'usd' });
const WRITE = { ...ACME, 'content-type': 'application/json', 'idempotency-key': 'idem-1' };
const ORG = 'organization:org_acme';
// nock intercepts fetch once loaded, and its pass-through of a POST body to a real socket fails here
// ("unusable" body): it is on only while the nock helper answers.
nock.restore();

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

type Snapshot = { clock: string; dropped: number; attempts: RecordedAttempt[] };
const attemptsOf = async (url: string, init: RequestInit = {}) => (await (await fetch(`${url}/__ratelimit/attempts`, init)).json()) as Snapshot;

/** The same requests, in order: two GETs that spend a budget of 2, a write that gets the 429, an exempt path. */
async function sendSequence(base: string): Promise<number[]> {
  const statuses: number[] = [];
  for (const [path, init] of [
    ['/v1/payment-intents', { headers: ACME }],
    ['/v1/payment-intents?offset=25', { headers: ACME }],
    ['/v1/payment-intents', { method: 'POST', headers: WRITE, body: BODY }],
    ['/health', {}],
  ] as const) {
    const res = await fetch(`${base}${path}`, init);
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

describe('the live mock’s attempt log', () => {
  it('records what the nock helper records, field for field (credentials kept as digests)', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 2, control: true });
    expect(await sendSequence(mock.url)).toEqual([200, 200, 429, 200]);
    const live = await attemptsOf(mock.url);
    expect(live.clock).toBe('real');
    expect(live.dropped).toBe(0);

    nock.activate();
    nock.disableNetConnect();
    const api = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: 'https://log.reconlayer.test', limit: 2 });
    try {
      await sendSequence('https://log.reconlayer.test');
      const same = (a: RecordedAttempt) => ({
        seq: a.seq,
        method: a.method,
        path: a.path,
        key: a.key,
        scope: a.scope,
        status: a.status,
        remaining: a.remaining,
        retryAfterSeconds: a.retryAfterSeconds,
        idempotencyKey: a.idempotencyKey,
        bodySha256: a.bodySha256,
        scripted: a.scripted,
      });
      expect(live.attempts.map(same)).toEqual(api.attempts.map(same));
      // Every field of the nock log is there, but the causal order a server across a network cannot know.
      const fieldsOf = (list: readonly RecordedAttempt[]) =>
        [...new Set(list.flatMap((a) => Object.entries(a).flatMap(([name, value]) => (value === undefined ? [] : [name]))))].sort();
      expect(fieldsOf(live.attempts)).toEqual(fieldsOf(api.attempts).filter((f) => f !== 'sentOrder' && f !== 'answeredOrder'));
    } finally {
      await api.restore();
      nock.enableNetConnect();
      nock.restore();
    }
    const [first] = live.attempts;
    expect(first?.url).toBe(`${mock.url}/v1/payment-intents`);
    expect(first?.headers.authorization).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(new Set(live.attempts.slice(0, 3).map((a) => a.headers.authorization)).size).toBe(1);
    expect(JSON.stringify(live)).not.toContain('rl_test_acme_primary');
    expect(live.attempts.every((a) => a.respondedAtMs >= a.atMs)).toBe(true);
  });

  it('filters by key and clears all or one key; a slow answer keeps its arrival order', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, control: true });
    const { url } = mock;
    await fetch(`${url}/__ratelimit/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'pass', latencyMs: 300, times: 1, path: '/v1/payment-intents' }),
    });
    const slow = fetch(`${url}/v1/payment-intents`, { headers: ACME });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await (await fetch(`${url}/v1/customers`, { headers: { authorization: 'Bearer rl_test_globex_primary' } })).arrayBuffer();
    await (await slow).arrayBuffer();
    const all = await attemptsOf(url);
    expect(all.attempts.map((a) => [a.seq, a.path, a.scripted])).toEqual([
      [1, '/v1/payment-intents', '+300ms'],
      [2, '/v1/customers', undefined],
    ]);
    const byKey = (await (await fetch(`${url}/__ratelimit/attempts/${encodeURIComponent(ORG)}`)).json()) as Snapshot;
    expect(byKey.attempts.map((a) => a.key)).toEqual([ORG]);
    expect((await fetch(`${url}/__ratelimit/attempts/${encodeURIComponent(ORG)}`, { method: 'DELETE' })).status).toBe(200);
    expect((await attemptsOf(url)).attempts.map((a) => a.key)).toEqual(['organization:org_globex']);
    expect(await (await fetch(`${url}/__ratelimit/attempts`, { method: 'DELETE' })).json()).toEqual({ cleared: 'all' });
    expect((await attemptsOf(url)).attempts).toEqual([]);
    const bad = await fetch(`${url}/__ratelimit/attempts/%E0%A4%A`);
    expect([bad.status, ((await bad.json()) as { error: string }).error]).toEqual([400, expect.stringMatching(/^Failed to read the budget key/)]);
  });

  it('answers only through the control API’s access check, and keeps nothing while the control API is off', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, controlToken: 'a-long-enough-token-1234' });
    await (await fetch(`${mock.url}/v1/payment-intents`, { headers: ACME })).arrayBuffer();
    expect((await fetch(`${mock.url}/__ratelimit/attempts`)).status).toBe(403);
    const withToken = await attemptsOf(mock.url, { headers: { 'x-ratelimit-control-token': 'a-long-enough-token-1234' } });
    expect(withToken.attempts).toHaveLength(1);
    expect(JSON.stringify(withToken)).not.toContain('a-long-enough-token-1234');
    await mock.close();

    mock = await startMockServer({ profile: 'reconlayer', env: {} });
    await (await fetch(`${mock.url}/v1/payment-intents`, { headers: ACME })).arrayBuffer();
    const off = await fetch(`${mock.url}/__ratelimit/attempts`, { headers: ACME });
    expect(off.status).toBe(404);
    expect(off.headers.get('x-ratelimit-remaining')).toBe('298');
  });
});

describe('the log is bounded', () => {
  const attempt = (key: string | undefined, i: number) => ({ atMs: i, respondedAtMs: i, method: 'GET', url: '/', path: '/', headers: {}, key, status: 200 });
  it('keeps at most perKey attempts of a key and total in all, dropping the oldest and counting them', () => {
    const log = createAttemptRecorder({ perKey: 3, total: 5 });
    for (let i = 0; i < 5; i += 1) log.record(log.reserve(), attempt('a', i));
    expect(log.list('a').map((a) => a.seq)).toEqual([3, 4, 5]);
    for (let i = 0; i < 3; i += 1) log.record(log.reserve(), attempt('b', i));
    expect(log.list().map((a) => `${a.key}${a.seq}`)).toEqual(['a4', 'a5', 'b6', 'b7', 'b8']);
    log.record(log.reserve(), attempt(undefined, 9));
    expect(log.list().map((a) => `${a.key ?? '-'}${a.seq}`)).toEqual(['a5', 'b6', 'b7', 'b8', '-9']);
    expect(log.dropped).toBe(4);
    for (let i = 0; i < 10_000; i += 1) log.record(log.reserve(), attempt(`k${i % 7}`, i));
    expect(log.list()).toHaveLength(5);
    log.clear('k1');
    expect(log.list().some((a) => a.key === 'k1')).toBe(false);
  });
});
