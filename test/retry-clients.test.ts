import { describe, expect, test, vi } from 'vitest';
import {
  AUTHMATECH_BACKOFF,
  assertRetryLog,
  backoffDelayMs,
  createBackoffFetch,
  createRecordingFetch,
  createRetryAfterFetch,
  findRetryViolations,
  RECONLAYER_RETRY_RULES,
  RETRY_CHECKS,
  type RetryLogError,
  retryRulesFor,
  withBackoff,
} from '../src/client/index.js';
import { mockRateLimitedApi, passThrough, type RateLimitedApi, rateLimited, serverError } from '../src/nock/index.js';
import { AUTH, RECON, useNockedProfiles } from './support/nocked-profiles.js';
import { seededRandom } from './support/seeded-random.js';

const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const ALPHA = { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key' };
const SESSION = `${AUTH}/v1/api/identity/sessions/ses_1`;
const INTENTS = `${RECON}/v1/payment-intents`;
const BODY = '{"amount":1000,"currency":"usd"}';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const nocked = useNockedProfiles();

const gaps = (api: RateLimitedApi) => api.attempts.slice(1).map((a, i) => a.atMs - (api.attempts[i]?.respondedAtMs ?? 0));

describe('Authmatech backoff (createBackoffFetch)', () => {
  test("follows the doc's numbers: 1 s, 2 s, 4 s, 8 s … capped at 60 s, ±100 ms", () => {
    expect([1, 2, 3, 4, 7, 12].map((n) => backoffDelayMs(AUTHMATECH_BACKOFF, n, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000]);
    expect(backoffDelayMs(AUTHMATECH_BACKOFF, 1, () => 0)).toBe(900);
    expect(backoffDelayMs(AUTHMATECH_BACKOFF, 1, () => 0.9999)).toBe(1099);
  });

  test('retries 429 and 500 on the schedule, then succeeds; the log passes every check', async () => {
    nocked.auth.script('GET /v1/api/identity/sessions/*', [rateLimited(2), serverError(1), passThrough()]);
    const random = seededRandom(9);
    const fetchWithBackoff = createBackoffFetch({ random });
    const res = await nocked.auth.settle(fetchWithBackoff(SESSION, { headers: ALPHA }), vi);
    expect(res.status).toBe(200);
    expect(nocked.auth.attempts.map((a) => a.status)).toEqual([429, 429, 500, 200]);
    const expected = seededRandom(9);
    expect(gaps(nocked.auth)).toEqual([1000, 2000, 4000].map((base) => base + Math.floor(expected() * 200) - 100));
    assertRetryLog(nocked.auth.attempts, 'authmatech');
    nocked.auth.done();
  });

  test('caps attempts, cap and jitter are configurable, and time is injected', async () => {
    nocked.auth.script('*', [rateLimited(10)]);
    const waits: number[] = [];
    const fetchWithBackoff = createBackoffFetch({ maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 700, jitterMs: 0, sleep: async (ms) => void waits.push(ms) });
    const res = await fetchWithBackoff(SESSION, { headers: ALPHA });
    expect([res.status, nocked.auth.attempts.length, waits]).toEqual([429, 3, [500, 700]]);
  });

  test('the seed snippet, withBackoff, behaves the same', async () => {
    nocked.auth.script('*', [rateLimited(3), passThrough()]);
    const res = await nocked.auth.settle(
      withBackoff(() => fetch(SESSION, { headers: ALPHA }), { random: seededRandom(4) }),
      vi,
    );
    expect(res.status).toBe(200);
    const expected = seededRandom(4);
    expect(gaps(nocked.auth)).toEqual([1000, 2000, 4000].map((base) => base + Math.floor(expected() * 200) - 100));
    expect(findRetryViolations(nocked.auth.attempts, 'authmatech')).toEqual([]);
  });
});

describe('ReconLayer retry-after policy (createRetryAfterFetch)', () => {
  test('waits what retry-after says after a spent window, then succeeds', async () => {
    await nocked.recon.exhaust(ACME);
    vi.advanceTimersByTime(22_000);
    const api = createRetryAfterFetch({ random: () => 0 });
    const res = await nocked.recon.settle(api(INTENTS, { headers: ACME }), vi);
    expect(res.status).toBe(200);
    expect(nocked.recon.attempts.map((a) => [a.status, a.retryAfterSeconds])).toEqual([
      [429, 38],
      [200, undefined],
    ]);
    expect(gaps(nocked.recon)).toEqual([38_000]);
    assertRetryLog(nocked.recon.attempts, 'reconlayer');
  });

  test('keeps one generated Idempotency-Key across the retries of a POST, and the same body', async () => {
    nocked.recon.script('POST /v1/payment-intents', [rateLimited(2, { retryAfterSeconds: 2 }), serverError(1)]);
    const api = createRetryAfterFetch({ generateKey: () => 'idem-1' });
    const res = await nocked.recon.settle(api(INTENTS, { method: 'POST', headers: { ...ACME, 'content-type': 'application/json' }, body: BODY }), vi);
    expect(res.status).toBe(201);
    expect(nocked.recon.attempts.map((a) => [a.status, a.idempotencyKey])).toEqual([
      [429, 'idem-1'],
      [429, 'idem-1'],
      [500, 'idem-1'],
      [201, 'idem-1'],
    ]);
    expect(new Set(nocked.recon.attempts.map((a) => a.bodySha256)).size).toBe(1);
    assertRetryLog(nocked.recon.attempts, 'reconlayer');
  });

  test("with idempotencyKeys 'caller', a POST without a key is never retried", async () => {
    nocked.recon.script('POST /v1/payment-intents', [rateLimited(1)]);
    const api = createRetryAfterFetch({ idempotencyKeys: 'caller' });
    const res = await api(INTENTS, { method: 'POST', headers: ACME, body: BODY });
    expect([res.status, nocked.recon.attempts.length, nocked.recon.attempts[0]?.idempotencyKey]).toEqual([429, 1, undefined]);
  });

  test('gives the 429 back when retry-after is beyond maxRetryAfterMs', async () => {
    nocked.recon.script('*', [rateLimited(1, { retryAfterSeconds: 300 })]);
    const res = await createRetryAfterFetch()(INTENTS, { headers: ACME });
    expect([res.status, nocked.recon.attempts.length]).toEqual([429, 1]);
  });

  test('paces from x-ratelimit-remaining: a burst of 25 on a budget of 10 never sees a 429', async () => {
    const small = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: 'https://paced.reconlayer.test', limit: 10 });
    try {
      const paces: number[] = [];
      const api = createRetryAfterFetch({ onPace: (e) => void paces.push(e.remaining) });
      const burst = (async () => {
        for (let i = 0; i < 25; i += 1) await (await api('https://paced.reconlayer.test/v1/payment-intents', { headers: ACME })).arrayBuffer();
      })();
      await small.settle(burst, vi);
      expect(small.attempts.filter((a) => a.status === 429)).toEqual([]);
      expect(small.attempts).toHaveLength(25);
      expect(paces.slice(0, 2)).toEqual([1, 0]);
      expect((small.attempts.at(-1)?.atMs ?? 0) - (small.attempts[0]?.atMs ?? 0)).toBeGreaterThanOrEqual(120_000);
    } finally {
      await small.restore();
    }
  });

  test('a recording fetch gives the same log from the client side', async () => {
    nocked.recon.script('*', [rateLimited(1, { retryAfterSeconds: 3 })]);
    const recording = createRecordingFetch();
    const res = await nocked.recon.settle(createRetryAfterFetch({ fetch: recording.fetch, random: () => 0 })(INTENTS, { headers: ACME }), vi);
    expect(res.status).toBe(200);
    expect(recording.attempts.map((a) => [a.status, a.retryAfterSeconds, a.atMs - (recording.attempts[0]?.atMs ?? 0)])).toEqual([
      [429, 3, 0],
      [200, undefined, 3000],
    ]);
    assertRetryLog(recording.attempts, 'reconlayer');
  });
});

describe('retry assertions', () => {
  test('the checks are data: an id, what it catches, how to fix it; each rule set quotes its own doc', () => {
    expect(RETRY_CHECKS.map((c) => c.id)).toEqual([
      'retry-before-retry-after',
      'attempts-over-cap',
      'backoff-too-fast',
      'backoff-too-slow',
      'backoff-uncapped',
      'no-jitter',
      '429-not-retried',
      '5xx-not-retried',
      'retried-non-retryable',
      'non-idempotent-retry-without-key',
      'idempotency-key-changed',
      'retry-body-changed',
      'hammering-after-429',
      'no-pacing',
    ]);
    for (const check of RETRY_CHECKS) expect([check.catches.length > 20, check.fix.length > 20]).toEqual([true, true]);
    const applies = (profile: 'authmatech' | 'reconlayer') => RETRY_CHECKS.filter((c) => c.appliesTo(retryRulesFor(profile))).map((c) => c.id);
    for (const profile of ['authmatech', 'reconlayer'] as const) {
      const rules = retryRulesFor(profile);
      for (const id of applies(profile)) expect(rules.clauses[id], `${profile} ${id}`).toMatch(/^(Authmatech|ReconLayer|RFC 9110)/);
    }
    // ReconLayer's doc sets no attempt cap and no schedule: nothing of Authmatech's is checked or quoted.
    expect(applies('reconlayer')).not.toContain('attempts-over-cap');
    expect(applies('reconlayer')).not.toContain('no-jitter');
    expect(Object.values(RECONLAYER_RETRY_RULES.clauses).join('\n')).not.toMatch(/Authmatech|Cap attempts/);
    expect(applies('authmatech')).not.toContain('no-pacing');
  });

  test('rule sets are plain data: named parameters, JSON round-trip, one field overridden at a time', () => {
    const rules = retryRulesFor('authmatech', { maxAttempts: 8 });
    expect(JSON.parse(JSON.stringify(rules))).toEqual(rules);
    expect([rules.maxAttempts, rules.backoff?.maxDelayMs, rules.name]).toEqual([8, 60_000, 'Authmatech']);
    expect(retryRulesFor('reconlayer', { requirePacing: false }).requirePacing).toBe(false);
    expect(() => retryRulesFor('nope' as 'http')).toThrow('Failed to find retry rules "nope"');
  });

  test('assertRetryLog throws one readable message: rule, clause, fix, attempts', async () => {
    await nocked.recon.exhaust(ACME);
    await nocked.recon.settle(
      (async () => {
        for (let i = 0; i < 3; i += 1) {
          if ((await fetch(INTENTS, { headers: ACME })).status !== 429) return;
          await sleep(1000);
        }
      })(),
      vi,
    );
    let error: RetryLogError | undefined;
    try {
      assertRetryLog(nocked.recon.attempts, 'reconlayer');
    } catch (caught) {
      error = caught as RetryLogError;
    }
    expect(error?.code).toBe('ERR_RLC_RETRY_LOG');
    expect(error?.violations.map((v) => v.check)).toEqual(['retry-before-retry-after', 'retry-before-retry-after']);
    expect(error?.message).toContain("Failed to verify the client's retries against the ReconLayer rules: 1 rule(s) broken.");
    expect(error?.message).toContain(
      '✗ retry-before-retry-after (2 findings): #2 GET /v1/payment-intents came 1000 ms after a 429 that said retry-after 60 s (59000 ms early).',
    );
    expect(error?.message).toContain('Doc: ReconLayer: "Use the retry-after header (seconds) to decide how long to wait before your next request');
    expect(error?.message).toContain('Fix: wait at least what retry-after says');
    expect(error?.message).toContain('#3  +2000ms  GET /v1/payment-intents → 429 (retry-after 58 s, remaining 0)');
  });

  test('toleranceMs gives real clocks slack', () => {
    const at = (seq: number, atMs: number, status: number, retryAfterSeconds?: number) => ({
      seq,
      atMs,
      respondedAtMs: atMs,
      method: 'GET',
      url: INTENTS,
      path: '/v1/payment-intents',
      headers: {},
      status,
      retryAfterSeconds,
    });
    const log = [at(1, 0, 429, 2), at(2, 1990, 200)];
    expect(findRetryViolations(log, 'reconlayer').map((v) => v.check)).toEqual(['retry-before-retry-after']);
    expect(findRetryViolations(log, { toleranceMs: 20 })).toEqual([]);
  });
});
