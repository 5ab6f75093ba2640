import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScriptMatch } from '../../src/engine/script-queue.js';
import { delayed, passThrough, rateLimited, replyWith, type ScriptStep, serverError } from '../../src/engine/scripted-steps.js';

// One case file, every backend (hono's common.case.test.ts is the model): the engine in process, the HTTP
// mock, the nock helper and the MSW helper each run every case below through their own transport. A
// backend that cannot run a case skips it and says why.

/** A request as a case sends it. */
export interface CaseRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A response as a case reads it: lower-case header names. */
export interface CaseResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The scripted latency as the backend's clock saw it; undefined where it is real time (never asserted). */
  latencyMs?: number;
}

/** The API a case talks to, on one backend. */
export interface CaseApi {
  send(request: CaseRequest): Promise<CaseResponse>;
  /** Scripts steps for matching requests, in the one vocabulary (the HTTP mock gets them as control API JSON). */
  script(match: ScriptMatch, steps: ScriptStep[]): Promise<void>;
  /** Moves the budget clock forward. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface CaseApiOptions {
  profile?: 'reconlayer' | 'authmatech';
  spec?: string;
  /** A credentials file (the examples' sit in mocks/examples/). */
  credentials?: string;
  limit?: number;
  /** Validate requests against the spec (the engine's and the HTTP mock's `validate`). */
  validate?: boolean;
}

export interface Backend {
  name: string;
  start(options: CaseApiOptions): Promise<CaseApi>;
  /** Cases this backend cannot run, by name, each with its reason. */
  skip?: Record<string, string>;
}

const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const ACME_CI = { authorization: 'Bearer rl_test_acme_ci' };
const GLOBEX = { authorization: 'Bearer rl_test_globex_primary' };
const UNKNOWN = { authorization: 'Bearer rl_test_nobody' };
const ALPHA = { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key' };
const BETA = { 'x-client-id': 'client_beta', 'x-api-key': 'am_test_beta_key' };
const LIST = '/v1/payment-intents';
const SESSION = '/v1/api/identity/sessions/ses_1';
const RATE_LIMIT_HEADER = /^(x-ratelimit-|retry-after$)/;

/** The rate-limit headers of a response, and nothing else. */
const rateLimitHeadersOf = (res: CaseResponse) => Object.fromEntries(Object.entries(res.headers).filter(([name]) => RATE_LIMIT_HEADER.test(name)));
const json = (res: CaseResponse): unknown => JSON.parse(res.text);
const post = (headers: Record<string, string>, key: string, body: string): CaseRequest => ({
  method: 'POST',
  path: LIST,
  headers: { ...headers, 'idempotency-key': key, 'content-type': 'application/json' },
  body,
});
const ERROR_SHAPES = 'test/fixtures/specs/error-shapes.yaml';
const ENVELOPE = (message: string, httpStatus: string) => ({ success: false, messages: [{ type: 'FAILURE', message, httpStatus }], data: null });
const PROBLEM = { type: 'about:blank', title: 'Something went wrong' };
const FASTIFY_429 = (after: string) => ({ statusCode: 429, error: 'Too Many Requests', message: `Rate limit exceeded, retry in ${after}` });

/**
 * What every case file needs on one backend: `start` an API (closed after each case) and `test`, which
 * registers a case or skips it with the backend's stated reason.
 */
export function caseHarness(backend: Backend) {
  let api: CaseApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });
  const start = async (options: CaseApiOptions) => {
    api = await backend.start(options);
    return api;
  };
  const test = (name: string, body: () => Promise<void>) => {
    const reason = backend.skip?.[name];
    if (reason === undefined) it(name, body);
    else it.skip(`${name} (skipped on ${backend.name}: ${reason})`, body);
  };
  return { start, test };
}

/** Runs every case on one backend. Each case starts its own API and closes it. */
export function runRateLimitCases(backend: Backend): void {
  const { start, test } = caseHarness(backend);

  describe(`${backend.name}: budgets`, () => {
    test('counts down: every limited answer carries the budget headers', async () => {
      const a = await start({ profile: 'reconlayer', limit: 3 });
      const seen = [];
      for (let i = 0; i < 3; i++) seen.push(rateLimitHeadersOf(await a.send({ path: LIST, headers: ACME })));
      expect(seen).toEqual([2, 1, 0].map((left) => ({ 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': String(left), 'x-ratelimit-reset': '60' })));
    });

    test('request limit + 1 is the first 429, with exactly the policy headers and body', async () => {
      const a = await start({ profile: 'reconlayer', limit: 3 });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await a.send({ path: LIST, headers: ACME })).status);
      const res = await a.send({ path: LIST, headers: ACME });
      expect([...statuses, res.status]).toEqual([200, 200, 200, 429]);
      expect(rateLimitHeadersOf(res)).toEqual({ 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '60', 'retry-after': '60' });
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(json(res)).toEqual(FASTIFY_429('1 minute'));
    });

    test('Authmatech: the envelope 429 per X-CLIENT-ID, no rate-limit headers', async () => {
      const a = await start({ profile: 'authmatech', limit: 2 });
      for (let i = 0; i < 2; i++) expect((await a.send({ path: SESSION, headers: ALPHA })).status).toBe(200);
      const res = await a.send({ path: SESSION, headers: ALPHA });
      expect(res.status).toBe(429);
      expect(rateLimitHeadersOf(res)).toEqual({});
      expect(json(res)).toEqual({
        success: false,
        messages: [{ type: 'FAILURE', message: 'Rate limit exceeded.', httpStatus: 'TOO_MANY_REQUESTS' }],
        data: null,
      });
      expect((await a.send({ path: SESSION, headers: BETA })).status).toBe(200);
    });

    test('budgets are per principal: keys of one organization share one, others and unknown keys do not', async () => {
      const a = await start({ profile: 'reconlayer', limit: 2 });
      await a.send({ path: LIST, headers: ACME });
      await a.send({ path: LIST, headers: ACME });
      expect((await a.send({ path: LIST, headers: ACME_CI })).status).toBe(429);
      expect(rateLimitHeadersOf(await a.send({ path: LIST, headers: GLOBEX }))['x-ratelimit-remaining']).toBe('1');
      // An unknown key is keyed by the caller's IP (its own budget) and is then refused by auth.
      const unknown = await a.send({ path: LIST, headers: UNKNOWN });
      expect([unknown.status, unknown.headers['x-ratelimit-remaining']]).toEqual([401, '1']);
      const anonymous = await a.send({ path: LIST });
      expect([anonymous.status, anonymous.headers['x-ratelimit-remaining']]).toEqual([401, '0']);
    });

    test('exempt paths: no rate-limit headers and no budget spent, even when the budget is gone', async () => {
      const a = await start({ profile: 'reconlayer', limit: 2 });
      await a.send({ path: LIST, headers: ACME });
      await a.send({ path: LIST, headers: ACME });
      for (const request of [
        { path: '/health', headers: ACME },
        { path: '/openapi.json', headers: GLOBEX },
        { path: '/docs' },
        { path: '/docs/errors', headers: GLOBEX },
        { method: 'POST', path: '/webhooks/stripe', headers: { 'content-type': 'application/json' }, body: '{}' },
      ]) {
        const res = await a.send(request);
        expect(res.status, request.path).toBeLessThan(300);
        expect(rateLimitHeadersOf(res), request.path).toEqual({});
      }
      expect((await a.send({ path: LIST, headers: ACME })).status).toBe(429);
      expect((await a.send({ path: LIST, headers: GLOBEX })).headers['x-ratelimit-remaining']).toBe('1');
    });

    test('paths outside the scope are not limited (Authmatech: only /v1/api/**)', async () => {
      const a = await start({ profile: 'authmatech', limit: 1 });
      for (let i = 0; i < 3; i++) expect((await a.send({ path: '/v1/status', headers: ALPHA })).status).toBe(200);
      expect((await a.send({ path: SESSION, headers: ALPHA })).status).toBe(200);
      expect((await a.send({ path: SESSION, headers: ALPHA })).status).toBe(429);
    });

    test('clock travel: the window resets when the clock passes it, not a millisecond earlier', async () => {
      const a = await start({ profile: 'reconlayer', limit: 2 });
      await a.send({ path: LIST, headers: ACME });
      await a.send({ path: LIST, headers: ACME });
      await a.advance(30_000);
      expect(rateLimitHeadersOf(await a.send({ path: LIST, headers: ACME }))).toMatchObject({ 'retry-after': '30', 'x-ratelimit-reset': '30' });
      await a.advance(29_999);
      expect((await a.send({ path: LIST, headers: ACME })).status).toBe(429);
      await a.advance(1);
      const res = await a.send({ path: LIST, headers: ACME });
      expect([res.status, res.headers['x-ratelimit-remaining'], res.headers['x-ratelimit-reset']]).toEqual([200, '1', '60']);
    });
  });

  describe(`${backend.name}: scripted steps`, () => {
    test('rate-limited: the profile 429 with the scripted retry-after, spending no budget', async () => {
      const a = await start({ profile: 'reconlayer', limit: 5 });
      await a.script(`GET ${LIST}`, [rateLimited(2, { retryAfterSeconds: 5 }), passThrough()]);
      const first = await a.send({ path: LIST, headers: ACME });
      const second = await a.send({ path: LIST, headers: ACME });
      const third = await a.send({ path: LIST, headers: ACME });
      expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
      expect(rateLimitHeadersOf(first)).toEqual({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '5', 'retry-after': '5' });
      expect(json(first)).toEqual(FASTIFY_429('5 seconds'));
      expect(third.headers['x-ratelimit-remaining']).toBe('4');
    });

    test('rate-limited without seconds: retry-after is the window on a fresh budget', async () => {
      const a = await start({ profile: 'reconlayer', limit: 5 });
      await a.script(LIST, [rateLimited()]);
      const res = await a.send({ path: LIST, headers: GLOBEX });
      expect(rateLimitHeadersOf(res)).toEqual({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '60', 'retry-after': '60' });
      expect(json(res)).toEqual(FASTIFY_429('1 minute'));
    });

    test('rate-limited on an exempt path: the policy 429 body, and no rate-limit headers', async () => {
      const a = await start({ profile: 'reconlayer', limit: 5 });
      await a.script('GET /health', [rateLimited(1, { retryAfterSeconds: 7 })]);
      const res = await a.send({ path: '/health', headers: ACME });
      expect(res.status).toBe(429);
      expect(rateLimitHeadersOf(res)).toEqual({});
      expect(json(res)).toEqual(FASTIFY_429('7 seconds'));
      expect((await a.send({ path: '/health', headers: ACME })).status).toBe(200);
      expect((await a.send({ path: LIST, headers: ACME })).headers['x-ratelimit-remaining']).toBe('4');
    });

    test('server-error: spends budget, keeps the budget headers, the same body everywhere', async () => {
      const a = await start({ profile: 'reconlayer', limit: 5 });
      await a.script(`GET ${LIST}`, [serverError(1), serverError(1, 503)]);
      const first = await a.send({ path: LIST, headers: ACME });
      const second = await a.send({ path: LIST, headers: ACME });
      expect([first.status, second.status]).toEqual([500, 503]);
      expect(json(first)).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Scripted fault' });
      expect(json(second)).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'Scripted fault' });
      expect(rateLimitHeadersOf(second)).toEqual({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': '60' });
    });

    test('server-error with its own body, and over a spent budget (budget headers, no retry-after)', async () => {
      const a = await start({ profile: 'reconlayer', limit: 1 });
      await a.send({ path: LIST, headers: ACME });
      await a.script(LIST, [serverError(1, 502, { upstream: 'down' })]);
      const res = await a.send({ path: LIST, headers: ACME });
      expect([res.status, json(res)]).toEqual([502, { upstream: 'down' }]);
      expect(rateLimitHeadersOf(res)).toEqual({ 'x-ratelimit-limit': '1', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '60' });
    });

    test('reply: any status, body and headers; spends budget', async () => {
      const a = await start({ profile: 'reconlayer', limit: 5 });
      await a.script({ method: 'GET', path: '/v1/payment-intents/*' }, [replyWith(418, { teapot: true }, { 'x-scripted': 'yes' })]);
      const res = await a.send({ path: '/v1/payment-intents/pi_1', headers: ACME });
      expect([res.status, res.headers['x-scripted'], res.headers['content-type'], json(res)]).toEqual([418, 'yes', 'application/json', { teapot: true }]);
      expect(res.headers['x-ratelimit-remaining']).toBe('4');
    });

    test('pass with latency: the profile answer, after the scripted delay', async () => {
      const a = await start({ profile: 'reconlayer', limit: 5 });
      await a.script(LIST, [delayed(40)]);
      const res = await a.send({ path: LIST, headers: ACME });
      expect([res.status, res.headers['x-ratelimit-remaining']]).toEqual([200, '4']);
    });

    test('pass with latency: the delay, on the backend clock', async () => {
      const a = await start({ profile: 'reconlayer', limit: 5 });
      await a.script(LIST, [delayed(2_000)]);
      expect((await a.send({ path: LIST, headers: ACME })).latencyMs).toBe(2_000);
    });

    test('scripts match method and path; other requests keep the profile answer; used steps are gone', async () => {
      const a = await start({ profile: 'reconlayer', limit: 5 });
      await a.script(`POST ${LIST}`, [serverError(1)]);
      await a.script('/v1/payment-intents/**', [replyWith(404)]);
      expect((await a.send({ path: LIST, headers: ACME })).status).toBe(200);
      expect((await a.send({ path: '/v1/payment-intents/pi_1', headers: ACME })).status).toBe(404);
      expect((await a.send({ path: '/v1/payment-intents/pi_1', headers: ACME })).status).toBe(200);
      expect((await a.send(post(ACME, 'k-s', '{"amount":1}'))).status).toBe(500);
      expect((await a.send(post(ACME, 'k-s', '{"amount":1}'))).status).toBe(201);
    });
  });

  describe(`${backend.name}: operations`, () => {
    test('idempotent replay: the same key and body replays the first result and creates nothing', async () => {
      const a = await start({ profile: 'reconlayer' });
      const first = await a.send(post(ACME, 'k-1', '{"amount":1000,"currency":"usd"}'));
      const again = await a.send(post(ACME_CI, 'k-1', '{"amount":1000,"currency":"usd"}'));
      const other = await a.send(post(ACME, 'k-2', '{"amount":1000,"currency":"usd"}'));
      expect([first.status, again.status, other.status]).toEqual([201, 201, 201]);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.text).toBe(first.text);
      expect((json(other) as { id: string }).id).not.toBe((json(first) as { id: string }).id);
    });

    test('idempotent mismatch: the same key with another body is refused; the key is the organization’s', async () => {
      const a = await start({ profile: 'reconlayer' });
      expect((await a.send(post(ACME, 'k-1', '{"amount":1}'))).status).toBe(201);
      const mismatch = await a.send(post(ACME, 'k-1', '{"amount":2}'));
      expect(mismatch.status).toBe(422);
      expect(json(mismatch)).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
      const otherOrg = await a.send(post(GLOBEX, 'k-1', '{"amount":2}'));
      expect([otherOrg.status, otherOrg.headers['idempotent-replayed']]).toEqual([201, undefined]);
    });

    test('a rejected POST consumes no idempotency key', async () => {
      const a = await start({ profile: 'reconlayer', limit: 1 });
      await a.send({ path: LIST, headers: ACME });
      expect((await a.send(post(ACME, 'k-9', '{"amount":1}'))).status).toBe(429);
      await a.advance(60_000);
      const res = await a.send(post(ACME, 'k-9', '{"amount":1}'));
      expect([res.status, res.headers['idempotent-replayed']]).toEqual([201, undefined]);
    });
  });

  describe(`${backend.name}: errors in the spec's shapes`, () => {
    test('Authmatech: a 404 off every route is the NotFound envelope the spec declares, and x-mock-reason says why', async () => {
      const a = await start({ profile: 'authmatech' });
      const res = await a.send({ path: '/v1/api/no-such-thing', headers: ALPHA });
      expect([res.status, res.headers['content-type'], json(res)]).toEqual([404, 'application/json', ENVELOPE('Resource not found.', 'NOT_FOUND')]);
      expect(res.headers['x-mock-reason']).toBe('Route GET:/v1/api/no-such-thing not found');
    });

    test('Authmatech: a 405 is the envelope the spec declares for its 4XX, with allow', async () => {
      const a = await start({ profile: 'authmatech' });
      const res = await a.send({ method: 'POST', path: '/health', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect([res.status, res.headers.allow, json(res)]).toEqual([405, 'GET', ENVELOPE('Request validation failed.', 'BAD_REQUEST')]);
      expect(res.headers['x-mock-reason']).toBe('Route POST:/health does not allow POST');
    });

    test('Authmatech: a 401 is the operation’s Unauthorized envelope', async () => {
      const a = await start({ profile: 'authmatech' });
      const res = await a.send({ path: SESSION, headers: { 'x-client-id': 'client_alpha', 'x-api-key': 'wrong' } });
      expect([res.status, json(res)]).toEqual([401, ENVELOPE('Invalid or missing X-API-KEY / X-CLIENT-ID.', 'UNAUTHORIZED')]);
    });

    test('Authmatech, validating: a request that breaks the spec gets the operation’s 400 envelope; the violations are in x-mock-reason', async () => {
      const a = await start({ profile: 'authmatech', validate: true });
      const res = await a.send({ method: 'POST', path: '/v1/api/identity/verify', headers: { ...ALPHA, 'content-type': 'application/json' }, body: '{}' });
      expect([res.status, json(res)]).toEqual([400, ENVELOPE('Request validation failed.', 'BAD_REQUEST')]);
      expect(res.headers['x-mock-reason']).toMatch(/phoneNumber/);
    });

    test('a spec of its own: the most common 404 across the spec (ties go to the first), a 405 from the spec’s 4XX', async () => {
      const a = await start({ spec: ERROR_SHAPES });
      const missing = await a.send({ path: '/nowhere' });
      expect([missing.status, json(missing)]).toEqual([404, { error: 'not found' }]);
      const wrongMethod = await a.send({ method: 'DELETE', path: '/reports' });
      expect([wrongMethod.status, wrongMethod.headers.allow, json(wrongMethod)]).toEqual([405, 'GET', { error: 'client error' }]);
    });

    test('a spec of its own: an operation’s default response for a scripted 503 and for a missing 2xx (501)', async () => {
      const a = await start({ spec: ERROR_SHAPES });
      await a.script('GET /things', [serverError(1, 503)]);
      const fault = await a.send({ path: '/things' });
      expect([fault.status, fault.headers['content-type'], json(fault)]).toEqual([503, 'application/problem+json', PROBLEM]);
      const reports = await a.send({ path: '/reports' });
      expect([reports.status, json(reports)]).toEqual([501, PROBLEM]);
      expect(reports.headers['x-mock-reason']).toBe('The spec declares no 2xx response for GET /reports');
    });

    test('a spec of its own, validating: its 4XX answers a bad body (400) and a violation (422)', async () => {
      const a = await start({ spec: ERROR_SHAPES, validate: true });
      const headers = { 'content-type': 'application/json' };
      const notJson = await a.send({ method: 'POST', path: '/things', headers, body: '{' });
      expect([notJson.status, json(notJson)]).toEqual([400, { error: 'client error' }]);
      expect(notJson.headers['x-mock-reason']).toMatch(/^Body is not valid JSON/);
      const invalid = await a.send({ method: 'POST', path: '/things', headers, body: '{}' });
      expect([invalid.status, json(invalid)]).toEqual([422, { error: 'client error' }]);
      expect(invalid.headers['x-mock-reason']).toMatch(/name/);
      expect((await a.send({ method: 'POST', path: '/things', headers, body: '{"name":"a"}' })).status).toBe(201);
    });

    test('ReconLayer: the idempotency 422 is the spec’s IdempotencyKeyReused', async () => {
      const a = await start({ profile: 'reconlayer' });
      await a.send(post(ACME, 'k-1', '{"amount":1}'));
      const res = await a.send(post(ACME, 'k-1', '{"amount":2}'));
      expect([res.status, json(res)]).toEqual([
        422,
        {
          statusCode: 422,
          error: 'Unprocessable Entity',
          message: 'Idempotency-Key was already used with a different request body; retry with the same body, or use a new key for a new request',
        },
      ]);
      expect(res.headers['x-mock-reason']).toMatch(/^Idempotency-Key was already used/);
    });
  });

  // Round two (issue 10): idempotency keys are kept 24 h on the engine's clock and 1,000 per owner, so
  // that another organization's flood cannot evict yours (src/engine/idempotency.ts).
  describe(`${backend.name}: idempotency keys`, () => {
    test('expire 24 h after first use, on the engine clock: the next day the same key is a new request', async () => {
      const a = await start({ profile: 'reconlayer' });
      const first = await a.send(post(ACME, 'k-day', '{"amount":1}'));
      expect(first.status).toBe(201);
      await a.advance(86_400_000 - 1);
      expect((await a.send(post(ACME, 'k-day', '{"amount":2}'))).status).toBe(422);
      await a.advance(1);
      const nextDay = await a.send(post(ACME, 'k-day', '{"amount":2}'));
      expect([nextDay.status, nextDay.headers['idempotent-replayed']]).toEqual([201, undefined]);
      expect((json(nextDay) as { id: string }).id).not.toBe((json(first) as { id: string }).id);
    });

    test("an organization holds 1,000 keys: its 1,001st forgets its own oldest, not another organization's", async () => {
      const a = await start({ profile: 'reconlayer', limit: 5_000 });
      expect((await a.send(post(GLOBEX, 'k-globex', '{"amount":1}'))).status).toBe(201);
      for (let i = 0; i <= 1_000; i++) expect((await a.send(post(ACME, `k-${i}`, '{"amount":1}'))).status).toBe(201);
      const oldest = await a.send(post(ACME, 'k-0', '{"amount":1}'));
      expect([oldest.status, oldest.headers['idempotent-replayed']]).toEqual([201, undefined]);
      expect((await a.send(post(ACME, 'k-2', '{"amount":1}'))).headers['idempotent-replayed']).toBe('true');
      expect((await a.send(post(GLOBEX, 'k-globex', '{"amount":1}'))).headers['idempotent-replayed']).toBe('true');
    });
  });

  describe(`${backend.name}: --spec`, () => {
    const specCase = (how: string, spec: string) =>
      test(`a ${how} spec path of a profile keeps its credentials: unknown keys get 401, organizations their own budgets`, async () => {
        const a = await start({ spec, limit: 1 });
        expect((await a.send({ path: LIST, headers: ACME })).status).toBe(200);
        expect((await a.send({ path: LIST, headers: ACME_CI })).status).toBe(429);
        expect((await a.send({ path: LIST, headers: GLOBEX })).status).toBe(200);
        expect((await a.send({ path: LIST, headers: UNKNOWN })).status).toBe(401);
      });
    specCase('relative', 'openapi/reconlayer.yaml');
    specCase('absolute', resolve('openapi/reconlayer.yaml'));
  });
}
