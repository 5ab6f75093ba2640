import nock from 'nock';
import { afterEach, beforeAll, describe, afterAll as done, expect, it, vi } from 'vitest';
import { createRecordingFetch } from '../src/client/recording-fetch.js';
import { createRetryAfterFetch } from '../src/client/retry-after-fetch.js';
import { assertRetryLog, findRetryViolations } from '../src/client/retry-assertions.js';
import { retryRulesFromPolicy, retryRulesFromSpec } from '../src/client/spec-retry-rules.js';
import type { RateLimitedApi } from '../src/engine/intercepted-api.js';
import { mockRateLimitedApi } from '../src/nock/index.js';

// The reference clients and the retry checks on APIs other than the two profiles, driven by each spec:
// headers named x-quota-*, the IETF draft-12 fields with two policies, GitHub's epoch reset and 403
// secondary limit, an LLM's tokens limit. Each client is given the spec's policy (`api.policy`); the
// rules come from the spec (retryRulesFromPolicy / retryRulesFromSpec). Before the header module the
// pacer read x-ratelimit-* only: on x-quota-* it never paced, and request 6 of 5 got a 429.

const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] } satisfies Parameters<typeof vi.useFakeTimers>[0];
const QUOTA = { spec: 'test/fixtures/x-quota.yaml' };
const DRAFT_12 = { spec: 'openapi/examples/ietf-draft-12.yaml', credentials: 'mocks/examples/ietf-draft-12.credentials.json' };
const GITHUB = { spec: 'openapi/examples/github-like.yaml', credentials: 'mocks/examples/github-like.credentials.json' };
const LLM = { spec: 'openapi/examples/llm-style.yaml', credentials: 'mocks/examples/llm-style.credentials.json' };

beforeAll(() => nock.disableNetConnect());
done(() => nock.enableNetConnect());
let api: RateLimitedApi | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await api?.restore();
  api = undefined;
});

async function start(options: Parameters<typeof mockRateLimitedApi>[0]): Promise<RateLimitedApi> {
  api = await mockRateLimitedApi(options);
  vi.useFakeTimers(FAKE);
  return api;
}

/** Sends `count` requests one after another through `client`, reading each body. */
async function sendMany(client: ReturnType<typeof createRetryAfterFetch>, url: string, headers: Record<string, string>, count: number) {
  for (let i = 0; i < count; i += 1) await (await client(url, { headers })).arrayBuffer();
}

describe('a spec with x-quota-* headers', () => {
  const KEY = { 'x-api-key': 'k_1' };
  const URL = 'https://quota.test/v1/reports';

  it('the pacer reads x-quota-remaining and x-quota-reset: 12 requests on a budget of 5, no 429', async () => {
    const a = await start({ ...QUOTA, baseUrl: 'https://quota.test' });
    await a.settle(sendMany(createRetryAfterFetch({ policy: a.policy }), URL, KEY, 12), vi);
    expect(a.attempts.filter((x) => x.status === 429)).toEqual([]);
    expect(a.attempts).toHaveLength(12);
    assertRetryLog(a.attempts, retryRulesFromSpec(QUOTA.spec));
  });

  it('without the policy, the pacer reads nothing it knows: request 6 of 5 gets a 429, and the spec-derived rules say so', async () => {
    const a = await start({ ...QUOTA, baseUrl: 'https://quota.test' });
    const recorder = createRecordingFetch({ policy: a.policy });
    await a.settle(sendMany(createRetryAfterFetch({ fetch: recorder.fetch }), URL, KEY, 6), vi);
    expect(recorder.attempts.map((x) => [x.status, x.remaining])).toEqual([
      [200, 4],
      [200, 3],
      [200, 2],
      [200, 1],
      [200, 0],
      [429, 0],
      [200, 4],
    ]);
    expect(findRetryViolations(recorder.attempts, retryRulesFromPolicy(a.policy)).map((v) => v.check)).toEqual(['no-pacing']);
  });

  it('waits out retry-after, and a recording fetch records x-quota-remaining', async () => {
    const a = await start({ ...QUOTA, baseUrl: 'https://quota.test' });
    await a.exhaust(KEY);
    const recorder = createRecordingFetch({ policy: a.policy });
    const res = await a.settle(createRetryAfterFetch({ policy: a.policy, fetch: recorder.fetch })(URL, { headers: KEY }), vi);
    expect(res.status).toBe(200);
    expect(recorder.attempts.map((x) => [x.status, x.retryAfterSeconds, x.remaining])).toEqual([
      [429, 60, 0],
      [200, undefined, 4],
    ]);
    expect(a.attempts[1]?.atMs).toBeGreaterThanOrEqual((a.attempts[0]?.atMs ?? 0) + 60_000);
    assertRetryLog(recorder.attempts, retryRulesFromPolicy(a.policy));
  });
});

describe('the IETF draft-12 example (burst and daily quota)', () => {
  const KEY = { 'x-api-key': 'cat_test_north' };
  const URL = 'https://catalog.test/v1/products';

  it('paces on the burst policy read from RateLimit: 25 requests on 10 a second, no 429', async () => {
    const a = await start({ ...DRAFT_12, baseUrl: 'https://catalog.test' });
    await a.settle(sendMany(createRetryAfterFetch({ policy: a.policy }), URL, KEY, 25), vi);
    expect(a.attempts.filter((x) => x.status === 429)).toEqual([]);
    assertRetryLog(a.attempts, retryRulesFromSpec(DRAFT_12.spec));
  });

  it('reads the draft-12 fields without being given the policy too', async () => {
    const a = await start({ ...DRAFT_12, baseUrl: 'https://catalog.test' });
    await a.settle(sendMany(createRetryAfterFetch(), URL, KEY, 25), vi);
    expect(a.attempts.filter((x) => x.status === 429)).toEqual([]);
  });

  it('waits out retry-after when the burst decides', async () => {
    const a = await start({ ...DRAFT_12, baseUrl: 'https://catalog.test' });
    await a.exhaust(KEY, 'burst');
    const res = await a.settle(createRetryAfterFetch({ policy: a.policy })(URL, { headers: KEY }), vi);
    expect(res.status).toBe(200);
    expect(a.attempts.map((x) => [x.status, x.retryAfterSeconds])).toEqual([
      [429, 1],
      [200, undefined],
    ]);
    assertRetryLog(a.attempts, retryRulesFromSpec(DRAFT_12.spec));
  });
});

describe('the GitHub-like example', () => {
  const TOKEN = { authorization: 'Bearer ghp_test_octocat_laptop' };
  const URL = 'https://github.test/repos/octocat/Hello-World';

  it('a spent primary limit (429, no retry-after): waits until the epoch in x-ratelimit-reset', async () => {
    const a = await start({ ...GITHUB, baseUrl: 'https://github.test', window: '1 minute' });
    await a.exhaust(TOKEN, 'core');
    const res = await a.settle(createRetryAfterFetch({ policy: a.policy })(URL, { headers: TOKEN }), vi);
    expect(res.status).toBe(200);
    expect(a.attempts.map((x) => [x.status, x.retryAfterSeconds, x.remaining])).toEqual([
      [429, undefined, 0],
      [200, undefined, 4999],
    ]);
    expect(a.attempts[1]?.atMs).toBeGreaterThanOrEqual((a.attempts[0]?.atMs ?? 0) + 60_000 - 1_000);
    assertRetryLog(a.attempts, retryRulesFromSpec(GITHUB.spec));
  });

  it('a spent secondary limit (403 with retry-after) is retried after retry-after; a 403 is not retried otherwise', async () => {
    const a = await start({ ...GITHUB, baseUrl: 'https://github.test' });
    await a.exhaust(TOKEN, 'secondary');
    const res = await a.settle(createRetryAfterFetch({ policy: a.policy })(URL, { headers: TOKEN }), vi);
    expect(res.status).toBe(200);
    expect(a.attempts.map((x) => [x.status, x.retryAfterSeconds])).toEqual([
      [403, 60],
      [200, undefined],
    ]);
    assertRetryLog(a.attempts, retryRulesFromSpec(GITHUB.spec));
  });
});

describe('the LLM-style example', () => {
  const KEY = { authorization: 'Bearer sk-test-acme-1', 'content-type': 'application/json' };
  const URL = 'https://llm.test/v1/chat/completions';
  const body = JSON.stringify({ model: 'small-1', max_tokens: 500, messages: [] });

  it('out of tokens: waits out retry-after, then the completion goes through', async () => {
    const a = await start({ ...LLM, baseUrl: 'https://llm.test' });
    await a.exhaust(KEY, 'tokens');
    const res = await a.settle(createRetryAfterFetch({ policy: a.policy })(URL, { method: 'POST', headers: KEY, body }), vi);
    expect(res.status).toBe(200);
    expect(a.attempts.map((x) => [x.status, x.retryAfterSeconds])).toEqual([
      [429, 1],
      [200, undefined],
    ]);
    assertRetryLog(a.attempts, retryRulesFromSpec(LLM.spec));
  });
});
