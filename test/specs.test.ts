import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../src/core/parse-policy.js';
import { scopeOperations } from '../src/openapi/lint-contract-rules.js';
import { type LintProblem, lintSpec } from '../src/openapi/lint-spec.js';
import { loadSpec } from '../src/openapi/load-spec.js';
import { listOperations, resolveNode } from '../src/openapi/spec-operations.js';

const RECONLAYER = 'openapi/reconlayer.yaml';
const AUTHMATECH = 'openapi/authmatech.yaml';

// Pasted from the docs (/work/shared/docs/*-rate-limits.txt), "Exceeding the limit — 429" / "When you exceed it".
const RECONLAYER_429 = JSON.parse(`{
  "statusCode": 429,
  "error": "Too Many Requests",
  "message": "Rate limit exceeded, retry in 1 minute"
}`);
const AUTHMATECH_429 = JSON.parse(`{
  "success": false,
  "messages": [
    { "type": "FAILURE", "message": "Rate limit exceeded.", "httpStatus": "TOO_MANY_REQUESTS" }
  ],
  "data": null
}`);

// biome-ignore lint/suspicious/noExplicitAny: the tests edit deep copies of the specs by path; the specs themselves are linted.
type Doc = Record<string, any>;
const shipped = (file: string): Doc => structuredClone(loadSpec(file).document);

const dir = mkdtempSync(join(tmpdir(), 'rlc-specs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;

/** Writes a modified deep copy of a shipped spec and lints it. */
async function lintVariant(file: string, modify: (doc: Doc) => void): Promise<LintProblem[]> {
  const doc = shipped(file);
  modify(doc);
  const out = join(dir, `variant-${++count}.json`);
  writeFileSync(out, JSON.stringify(doc, null, 2));
  return lintSpec(out);
}

const rulesOf = (problems: LintProblem[]) => problems.map((p) => p.rule);

function example429(file: string): unknown {
  const document = loadSpec(file).document;
  const response = resolveNode(
    document,
    (document as Doc).paths['/v1/payment-intents']?.get?.responses['429'] ?? (document as Doc).paths['/v1/api/portal/analytics/usage'].get.responses['429'],
  );
  return (response as Doc).content['application/json'].example;
}

describe('shipped specs', () => {
  it.each([RECONLAYER, AUTHMATECH])('%s lints with zero problems (Redocly recommended, policy schema, contract)', async (file) => {
    expect(await lintSpec(file)).toEqual([]);
  });

  it('ReconLayer: the policy reads as documented (300 per minute per organization, the public allow-list)', () => {
    const policy = parsePolicy(loadSpec(RECONLAYER).document['x-rate-limit'], RECONLAYER);
    const rejection = {
      status: 429,
      contentType: 'application/json; charset=utf-8',
      body: { statusCode: 429, error: 'Too Many Requests', message: 'Rate limit exceeded, retry in {after}' },
      retryAfter: true,
    };
    expect(policy).toEqual({
      // The one-limit shape reads as one limit named "default", counted in requests.
      limits: [
        {
          name: 'default',
          limit: 300,
          windowMs: 60_000,
          algorithm: 'fixed-window',
          key: { by: 'principal', header: 'authorization', scheme: 'Bearer', principal: 'organization', fallback: 'ip' },
          cost: 1,
          unit: 'requests',
          bucket: 'shared',
          report: true,
          rejection,
        },
      ],
      operations: [],
      include: ['/**'],
      exempt: ['/health', '/openapi.json', '/openapi.yaml', '/docs', '/docs/**', '/webhooks/**'],
      headers: {
        style: 'named',
        names: { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', retryAfter: 'retry-after' },
        resetFormat: 'seconds',
        retryAfterFormat: 'seconds',
        partitionKey: false,
      },
      env: { limit: 'RATE_LIMIT_MAX', window: 'RATE_LIMIT_WINDOW' },
      stacking: 'atomic',
      rejection,
    });
  });

  it('Authmatech: the policy reads as documented (1000 per minute per X-CLIENT-ID, /v1/api/** only, no headers)', () => {
    const policy = parsePolicy(loadSpec(AUTHMATECH).document['x-rate-limit'], AUTHMATECH);
    expect(policy).toMatchObject({
      limits: [{ name: 'default', limit: 1000, windowMs: 60_000, key: { by: 'header', header: 'x-client-id', principal: 'client', fallback: 'ip' }, cost: 1 }],
      include: ['/v1/api/**'],
      exempt: [],
      headers: { style: 'named', names: {} },
      rejection: { status: 429, body: AUTHMATECH_429 },
    });
  });

  it.each([
    [RECONLAYER, RECONLAYER_429],
    [AUTHMATECH, AUTHMATECH_429],
  ])('%s: the 429 example is exactly the documented body', (file, documented) => {
    expect(example429(file)).toEqual(documented);
  });

  it('ReconLayer: the 429 declares the documented header examples (300, 0, 38, 38)', () => {
    const document = loadSpec(RECONLAYER).document as Doc;
    const headers = document.components.responses.RateLimited.headers as Record<string, unknown>;
    const examples = Object.fromEntries(Object.entries(headers).map(([name, ref]) => [name, resolveNode(document, ref)?.example]));
    expect(examples).toEqual({ 'x-ratelimit-limit': 300, 'x-ratelimit-remaining': 0, 'x-ratelimit-reset': 38, 'retry-after': 38 });
  });

  it('scopes operations by their path templates', () => {
    const scopes = (file: string) => {
      const { document } = loadSpec(file);
      const policy = parsePolicy(document['x-rate-limit'], file);
      return Object.fromEntries(scopeOperations(listOperations(document), policy).map((op) => [`${op.method.toUpperCase()} ${op.path}`, op.scope]));
    };
    expect(scopes(RECONLAYER)).toEqual({
      'GET /v1/payment-intents': 'limited',
      'POST /v1/payment-intents': 'limited',
      'GET /v1/payment-intents/{id}': 'limited',
      'GET /health': 'exempt',
      'GET /openapi.json': 'exempt',
      'GET /openapi.yaml': 'exempt',
      'GET /docs': 'exempt',
      'GET /docs/{page}': 'exempt',
      'POST /webhooks/{provider}': 'exempt',
    });
    expect(scopes(AUTHMATECH)).toEqual({
      'POST /v1/api/identity/verify': 'limited',
      'GET /v1/api/identity/sessions/{sessionId}': 'limited',
      'GET /v1/api/portal/analytics/usage': 'limited',
      'POST /v1/api/connect/imports': 'limited',
      'GET /v1/api/connect/imports/{importId}': 'limited',
      'GET /health': 'unlimited',
      'GET /v1/status': 'unlimited',
    });
  });
});

describe('broken variants are caught with the right rule id', () => {
  it('a limited operation without a 429', async () => {
    const problems = await lintVariant(RECONLAYER, (doc) => {
      delete doc.paths['/v1/payment-intents'].get.responses['429'];
    });
    expect(problems).toEqual([expect.objectContaining({ rule: 'x-rate-limit/rejection-response', pointer: '/paths/~1v1~1payment-intents/get/responses' })]);
    expect(problems[0]?.message).toMatch(/GET \/v1\/payment-intents is rate limited but declares no 429 response/);
  });

  it('a limited operation at depth under /v1/api/** without a 429 (Authmatech)', async () => {
    const problems = await lintVariant(AUTHMATECH, (doc) => {
      delete doc.paths['/v1/api/identity/sessions/{sessionId}'].get.responses['429'];
    });
    expect(problems).toEqual([
      expect.objectContaining({ rule: 'x-rate-limit/rejection-response', pointer: '/paths/~1v1~1api~1identity~1sessions~1{sessionId}/get/responses' }),
    ]);
  });

  it('a 429 example that differs from the policy body', async () => {
    const problems = await lintVariant(RECONLAYER, (doc) => {
      doc.paths['/v1/payment-intents/{id}'].get.responses['429'] = {
        description: 'Too many requests.',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
            example: { statusCode: 429, error: 'Too Many Requests', message: 'Slow down' },
          },
        },
        headers: structuredClone(doc.components.responses.RateLimited.headers),
      };
    });
    expect(problems).toEqual([
      expect.objectContaining({
        rule: 'x-rate-limit/rejection-example',
        pointer: '/paths/~1v1~1payment-intents~1{id}/get/responses/429/content/application~1json/example',
      }),
    ]);
    expect(problems[0]?.message).toMatch(/at \/message: expected "Rate limit exceeded, retry in \{after\}", got "Slow down"/);
  });

  it('an Authmatech 429 example with a field the documented envelope lacks', async () => {
    const problems = await lintVariant(AUTHMATECH, (doc) => {
      const example = doc.components.responses.RateLimited.content['application/json'].example;
      example.messages[0].message = 'Too many requests.';
    });
    expect(rulesOf(problems)).toContain('x-rate-limit/rejection-example');
    expect(problems.find((p) => p.rule === 'x-rate-limit/rejection-example')?.message).toMatch(/\/messages\/0\/message: expected "Rate limit exceeded\."/);
  });

  it('{after} matches any non-empty text, but not an empty one', async () => {
    const withMessage = (message: string) =>
      lintVariant(RECONLAYER, (doc) => {
        doc.components.responses.RateLimited.content['application/json'].example.message = message;
      });
    expect(await withMessage('Rate limit exceeded, retry in 38 seconds')).toEqual([]);
    expect(rulesOf(await withMessage('Rate limit exceeded, retry in '))).toContain('x-rate-limit/rejection-example');
  });

  it('a rate-limit header declared on an exempt route', async () => {
    const problems = await lintVariant(RECONLAYER, (doc) => {
      doc.paths['/health'].get.responses['200'].headers = { 'X-RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' } };
    });
    expect(problems).toEqual([expect.objectContaining({ rule: 'x-rate-limit/exempt-headers', pointer: '/paths/~1health/get/responses/200/headers' })]);
    expect(problems[0]?.message).toMatch(/GET \/health is exempt from the rate limit/);
  });

  it('a 429 declared on an exempt route', async () => {
    const problems = await lintVariant(RECONLAYER, (doc) => {
      doc.paths['/docs/{page}'].get.responses['429'] = { $ref: '#/components/responses/RateLimited' };
    });
    expect(rulesOf(problems)).toContain('x-rate-limit/exempt-rejection');
    expect(problems.find((p) => p.rule === 'x-rate-limit/exempt-rejection')?.pointer).toBe('/paths/~1docs~1{page}/get/responses/429');
  });

  it('a 429 without retry-after, and a 2xx without the budget headers', async () => {
    const problems = await lintVariant(RECONLAYER, (doc) => {
      delete doc.components.responses.RateLimited.headers['retry-after'];
      delete doc.paths['/v1/payment-intents'].post.responses['201'].headers;
    });
    expect(problems).toContainEqual(
      expect.objectContaining({ rule: 'x-rate-limit/rejection-headers', pointer: '/paths/~1v1~1payment-intents/get/responses/429' }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ rule: 'x-rate-limit/success-headers', pointer: '/paths/~1v1~1payment-intents/post/responses/201' }),
    );
    expect(problems.find((p) => p.rule === 'x-rate-limit/rejection-headers')?.message).toMatch(/retry-after \(headers\.retryAfter\)/);
  });

  it('a 429 declared as text/plain while the policy sends JSON', async () => {
    const problems = await lintVariant(AUTHMATECH, (doc) => {
      doc.components.responses.RateLimited.content = { 'text/plain': { schema: { type: 'string' }, example: 'Rate limit exceeded.' } };
      delete doc.components.schemas.RateLimitEnvelope;
    });
    expect(rulesOf(problems)).toContain('x-rate-limit/rejection-content-type');
  });

  it('a policy with limit: 0', async () => {
    const problems = await lintVariant(RECONLAYER, (doc) => {
      doc['x-rate-limit'].limit = 0;
    });
    expect(problems).toEqual([expect.objectContaining({ rule: 'x-rate-limit/schema', pointer: '/x-rate-limit/limit' })]);
    expect(problems[0]?.message).toMatch(/must be >= 1/);
  });

  it('a policy with an unknown field', async () => {
    const problems = await lintVariant(AUTHMATECH, (doc) => {
      doc['x-rate-limit'].burst = 10;
    });
    expect(problems).toEqual([expect.objectContaining({ rule: 'x-rate-limit/schema', pointer: '/x-rate-limit' })]);
    expect(problems[0]?.message).toMatch(/unknown field "burst"/);
  });

  it('a window that is not a duration ("1 minutee")', async () => {
    const problems = await lintVariant(RECONLAYER, (doc) => {
      doc['x-rate-limit'].window = '1 minutee';
    });
    expect(problems).toEqual([expect.objectContaining({ rule: 'x-rate-limit/schema', pointer: '/x-rate-limit/window' })]);
    expect(problems[0]?.message).toMatch(/"1 minutee" is not a duration/);
  });

  it('a spec without x-rate-limit', async () => {
    const problems = await lintVariant(AUTHMATECH, (doc) => {
      delete doc['x-rate-limit'];
    });
    expect(problems).toEqual([expect.objectContaining({ rule: 'x-rate-limit/schema', pointer: '/x-rate-limit' })]);
    expect(problems[0]?.message).toMatch(/is missing/);
  });

  it('an invalid OpenAPI document (Redocly struct error)', async () => {
    const problems = await lintVariant(RECONLAYER, (doc) => {
      delete doc.info;
    });
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'struct', pointer: '' }));
  });

  it('a Redocly warning (no license) and error (no summary) are reported too', async () => {
    const problems = await lintVariant(AUTHMATECH, (doc) => {
      delete doc.info.license;
      delete doc.paths['/health'].get.summary;
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'info-license', pointer: '/info' }),
        expect.objectContaining({ rule: 'operation-summary', pointer: '/paths/~1health/get/summary' }),
      ]),
    );
  });

  it('an unreadable spec is a usage error, not a lint problem', async () => {
    await expect(lintSpec(join(dir, 'nope.yaml'))).rejects.toMatchObject({ code: 'ERR_RLC_SPEC_READ' });
  });
});
