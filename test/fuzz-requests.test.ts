import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../src/core/decision.js';
import { storeRule } from '../src/core/limiter.js';
import type { LimitPolicy } from '../src/core/policy.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { type RawResponse, rawRequest } from './support/raw-request.js';
import { httpText, type RawExchange, sendRaw } from './support/raw-socket.js';

// Request fuzzing: random methods, paths, header sets and bodies (malformed JSON included) against both
// profiles with the control API and Prism validation on, plus malformed bytes on raw sockets. The mock
// must answer every request, never with a 5xx of its own making, never with a stack trace, and stay up.
// CI runs a fixed seed; for a longer run: FUZZ_RUNS=20000 FUZZ_SEED=$RANDOM npx vitest run test/fuzz-requests.test.ts
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const TIMEOUT_MS = 20_000 + RUNS * 40;

const STACK_TRACE = [/\n\s+at /, /\bat [^\n]*\((?:file:|node:|\/)/, /[\w-]+\.(?:ts|js|mjs|cjs):\d+/, /node_modules/, /node:internal/];

/** Fails on a 5xx the mock made itself or on anything that looks like a stack trace or a file path. */
function expectSound(res: { status: number; text: string; headers: Record<string, string> }, what: string) {
  const injected = res.status === 500 && res.text.includes('Injected fault');
  expect(res.status >= 500 && !injected, `${what} → ${res.status} ${res.text.slice(0, 300)}`).toBe(false);
  for (const [name, value] of Object.entries(res.headers)) expect(value, `${what}: header ${name}`).not.toMatch(/^(?:NaN|undefined|null|-?Infinity)$/);
  for (const pattern of STACK_TRACE) expect(res.text, `${what} leaked ${pattern}`).not.toMatch(pattern);
}

const SEGMENTS = [
  'v1',
  'api',
  'payment-intents',
  'pi_123',
  'health',
  'openapi.json',
  'openapi.yaml',
  'docs',
  'webhooks',
  'stripe',
  'identity',
  'verify',
  'sessions',
  'portal',
  'analytics',
  'usage',
  'connect',
  'imports',
  'status',
  '__ratelimit',
  'budgets',
  'clock',
  'advance',
  'faults',
  'policy',
  'organization:org_acme',
  '..',
  '.',
  '',
  ';x=1',
  '%2e%2e',
  '%2F',
  '%',
  '%zz',
  '%E0%A4%A',
  '%C0%AE',
  '%00',
  '%FF',
  'A'.repeat(300),
];
const KNOWN_PATHS = [
  '/v1/payment-intents',
  '/v1/payment-intents/pi_1',
  '/health',
  '/openapi.json',
  '/openapi.yaml',
  '/docs',
  '/docs/intro',
  '/webhooks/stripe',
  '/v1/api/identity/verify',
  '/v1/api/identity/sessions/ses_1',
  '/v1/api/portal/analytics/usage',
  '/v1/api/connect/imports',
  '/v1/api/connect/imports/imp_1',
  '/v1/status',
  '/__ratelimit/budgets',
  '/__ratelimit/budgets/%E0%A4%A',
  '/__ratelimit/budgets/ip%3A127.0.0.1',
  '/__ratelimit/clock',
  '/__ratelimit/clock/advance',
  '/__ratelimit/faults',
  '/__ratelimit/policy',
  '/__ratelimit',
];
const printable = (max: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });
const pathArb = fc.oneof(
  fc.constantFrom(...KNOWN_PATHS),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...SEGMENTS),
        printable(12).map((s) => s.replace(/[\s/?#]/g, '-')),
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((parts) => `/${parts.join('/')}`),
);
const queryArb = fc.option(
  fc.oneof(
    fc.constant('limit=25&offset=0'),
    fc.constant('limit=-1&offset=abc'),
    printable(40).map((q) => encodeURI(q)),
  ),
  { nil: undefined },
);

const JSON_BODIES = [
  '{',
  '{"amount":',
  '[1,2',
  '{"a":1}}',
  'null',
  '"str"',
  '{"amount":1e999}',
  '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{}}}',
  '\u0000',
  '{"a":"\ud800"}',
];
const bodyArb = fc.oneof(
  fc.constant(''),
  fc.json({ maxDepth: 3 }),
  fc.constantFrom(...JSON_BODIES),
  fc
    .record({ amount: fc.oneof(fc.integer(), fc.double(), fc.string()), currency: fc.oneof(fc.constantFrom('usd', 'eur'), fc.string()) })
    .map((v) => JSON.stringify(v)),
  fc
    .record({
      kind: fc.constantFrom('status-429', 'status-500', 'latency', 'bogus'),
      count: fc.integer({ min: -2, max: 3 }),
      latencyMs: fc.integer({ min: 0, max: 5 }),
    })
    .map((v) => JSON.stringify(v)),
  fc
    .record({ ms: fc.oneof(fc.integer(), fc.double(), fc.constant(1e300)), by: fc.oneof(fc.string(), fc.constantFrom('1m', '99999999999 days', '-1s')) })
    .map((v) => JSON.stringify(v)),
  fc.record({ mode: fc.constantFrom('virtual', 'real', 'x') }).map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);
const HEADER_VALUES: Record<string, fc.Arbitrary<string>> = {
  'content-type': fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    '*/*',
    '',
  ),
  authorization: fc.oneof(fc.constantFrom('Bearer rl_test_acme_primary', 'Bearer rl_test_globex_primary', 'Bearer ', 'Basic x', ''), printable(80)),
  'x-client-id': fc.oneof(fc.constantFrom('client_alpha', 'client_beta', ''), printable(40)),
  'x-api-key': fc.oneof(fc.constantFrom('am_test_alpha_key', 'am_test_beta_key'), printable(40)),
  'idempotency-key': printable(64),
  accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/yaml'),
  'x-forwarded-for': fc.oneof(fc.ipV4(), printable(30)),
  'x-ratelimit-control-token': printable(20),
  origin: fc.constantFrom('http://evil.test', 'null', 'http://127.0.0.1', 'http://localhost:3001', ''),
  'sec-fetch-site': fc.constantFrom('cross-site', 'same-site', 'same-origin', 'none', ''),
  host: fc.constantFrom('evil.test', 'localhost', '127.0.0.1', '[::1]', 'app.localhost:1', '127.0.0.1.evil.test'),
  'accept-encoding': fc.constantFrom('gzip', 'br', 'identity', '*'),
  'x-request-id': printable(100),
  cookie: printable(200),
};
const headersArb = fc
  .subarray(Object.keys(HEADER_VALUES))
  .chain((names) => fc.record(Object.fromEntries(names.map((n) => [n, HEADER_VALUES[n] as fc.Arbitrary<string>]))));
const methodArb = fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'), fc.stringMatching(/^[A-Z]{1,12}$/));

const requestArb = fc.record({ method: methodArb, path: pathArb, query: queryArb, headers: headersArb, body: bodyArb });

const PROFILES = ['reconlayer', 'authmatech'] as const;
const mocks = new Map<string, MockServer>();

beforeAll(async () => {
  for (const profile of PROFILES) mocks.set(profile, await startMockServer({ profile, env: {}, limit: 30, control: true, validate: true }));
}, 30_000);
afterAll(async () => {
  for (const mock of mocks.values()) await mock.close();
});

const mockOf = (profile: string) => mocks.get(profile) as MockServer;
const JSON_HEADERS = { 'content-type': 'application/json' };

// A failed run must not leave faults or spent budgets behind for the next test.
afterEach(async () => {
  for (const mock of mocks.values()) {
    await rawRequest(mock.url, { method: 'DELETE', path: '/__ratelimit/faults' });
    await rawRequest(mock.url, { method: 'DELETE', path: '/__ratelimit/budgets' });
    await rawRequest(mock.url, { method: 'POST', path: '/__ratelimit/clock', headers: JSON_HEADERS, body: '{"mode":"real"}' });
  }
});

async function expectAlive(mock: MockServer, after: string) {
  const res = await rawRequest(mock.url, { path: '/health' });
  expect(res.status, `the mock stopped answering after ${after}: ${res.text}`).toBe(200);
}

describe.each(PROFILES)('request fuzzing: %s', (profile) => {
  it(`answers ${RUNS} random requests soundly (seed ${SEED})`, { timeout: TIMEOUT_MS }, async () => {
    const mock = mockOf(profile);
    await fc.assert(
      fc.asyncProperty(requestArb, async (req) => {
        const target = req.query === undefined ? req.path : `${req.path}?${req.query}`;
        const what = `${req.method} ${target} ${JSON.stringify(req.headers)} body ${JSON.stringify(req.body.slice(0, 80))}`;
        let res: RawResponse;
        try {
          res = await rawRequest(mock.url, {
            method: req.method,
            path: target,
            headers: req.headers,
            body: req.body === '' ? undefined : Buffer.from(req.body, 'latin1'),
          });
        } catch (error) {
          // node's client refuses some inputs itself (e.g. a method it cannot send); that is not the mock.
          if (/ERR_INVALID|ERR_UNESCAPED|Invalid/.test(String((error as Error).message ?? error))) return;
          throw new Error(`${what}: ${(error as Error).message}`);
        }
        expectSound(res, what);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    await expectAlive(mock, 'the random requests');
  });
});

describe('request fuzzing: regressions', () => {
  const ACME = { authorization: 'Bearer rl_test_acme_primary' };
  it('one request with an unusual Accept header does not break validation of every later one (Prism kept it)', async () => {
    const mock = mockOf('reconlayer');
    expect((await rawRequest(mock.url, { path: '/health', headers: { accept: 'text/html' } })).status).toBe(200);
    expect((await rawRequest(mock.url, { path: '/health' })).status).toBe(200);
    expect((await rawRequest(mock.url, { path: '/v1/payment-intents', headers: ACME })).status).toBe(200);
  });

  it('validates HEAD as GET, and the route the router matched (canonical path), instead of answering 500', async () => {
    const mock = mockOf('reconlayer');
    expect((await rawRequest(mock.url, { method: 'HEAD', path: '/health' })).status).toBe(200);
    expect((await rawRequest(mock.url, { path: '/v1/x/../payment-intents?limit=25', headers: ACME })).status).toBe(200);
    expect((await rawRequest(mock.url, { method: 'HEAD', path: '/v1/status' })).status).toBe(404);
    expect((await rawRequest(mockOf('authmatech').url, { method: 'HEAD', path: '/v1/status' })).status).toBe(200);
  });

  it('answers 400, not 500, when a path parameter holds a malformed escape', async () => {
    const res = await rawRequest(mockOf('reconlayer').url, { method: 'POST', path: '/webhooks/%FF', headers: JSON_HEADERS, body: '{}' });
    expect(res.status).toBe(400);
    // The body is the spec's 4XX example (ClientError); the reason travels in x-mock-reason.
    expect(res.headers['x-mock-reason']).toMatch(/could not be validated against the spec: URI malformed/);
  });

  it('refuses to move the control clock past 2^53 ms (headers read reset 0, then NaN)', async () => {
    const mock = mockOf('reconlayer');
    const advance = (ms: number) =>
      rawRequest(mock.url, { method: 'POST', path: '/__ratelimit/clock/advance', headers: JSON_HEADERS, body: JSON.stringify({ ms }) });
    expect((await advance(1e300)).status).toBe(400);
    expect((await advance(60_000)).status).toBe(200);
    const res = await rawRequest(mock.url, { path: '/v1/payment-intents', headers: ACME });
    expect(res.headers['x-ratelimit-reset']).toBe('60');
  });

  it('answers 400, not 500, for a control budget key with a malformed escape', async () => {
    const res = await rawRequest(mockOf('authmatech').url, { path: '/__ratelimit/budgets/%E0%A4%A' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/not valid percent-encoding/);
  });
});

const MALFORMED: Array<[string, string | string[], { endAfterWrite?: boolean }?]> = [
  ['garbage', 'GARBAGE\r\n\r\n'],
  ['request line without a target', 'GET\r\n\r\n'],
  ['unknown HTTP version', 'GET /health HTTP/9.9\r\nhost: x\r\n\r\n'],
  ['lower-case method', 'get /health HTTP/1.1\r\nhost: x\r\n\r\n'],
  ['tabs in the request line', 'GET\t/health\tHTTP/1.1\r\nhost: x\r\n\r\n'],
  ['header without a colon', 'GET /health HTTP/1.1\r\nhost: x\r\nno-colon-here\r\n\r\n'],
  ['space before the colon', 'GET /health HTTP/1.1\r\nhost : x\r\n\r\n'],
  ['NUL in a header value', 'GET /v1/payment-intents HTTP/1.1\r\nhost: x\r\nauthorization: Bearer a\u0000b\r\n\r\n'],
  ['obsolete line folding', 'GET /v1/payment-intents HTTP/1.1\r\nhost: x\r\nauthorization: Bearer\r\n rl_test_acme_primary\r\n\r\n'],
  ['bare LF line endings', 'GET /health HTTP/1.1\nhost: x\n\n'],
  [
    'content-length and transfer-encoding (smuggling)',
    'POST /v1/payment-intents HTTP/1.1\r\nhost: x\r\ncontent-length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n',
  ],
  ['two different content-lengths', 'POST /v1/payment-intents HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}'],
  ['negative content-length', 'POST /v1/payment-intents HTTP/1.1\r\nhost: x\r\ncontent-length: -1\r\n\r\n'],
  ['non-numeric content-length', 'POST /v1/payment-intents HTTP/1.1\r\nhost: x\r\ncontent-length: ten\r\n\r\n'],
  [
    'bad chunk size',
    'POST /v1/payment-intents HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
  ],
  ['unknown transfer-encoding', 'POST /v1/payment-intents HTTP/1.1\r\nhost: x\r\ntransfer-encoding: gzip, chunked, rot13\r\n\r\n'],
  [
    'truncated body, then close',
    'POST /v1/payment-intents HTTP/1.1\r\nhost: x\r\nauthorization: Bearer rl_test_acme_primary\r\nidempotency-key: k1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"amount":',
    { endAfterWrite: true },
  ],
  ['huge content-length, no body', 'POST /v1/payment-intents HTTP/1.1\r\nhost: x\r\ncontent-length: 99999999999\r\n\r\n', { endAfterWrite: true }],
  ['CONNECT', 'CONNECT 127.0.0.1:1 HTTP/1.1\r\nhost: 127.0.0.1:1\r\n\r\n'],
  [
    'websocket upgrade',
    'GET /v1/payment-intents HTTP/1.1\r\nhost: x\r\nconnection: upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  ],
  ['h2c upgrade', 'GET /health HTTP/1.1\r\nhost: x\r\nconnection: upgrade, http2-settings\r\nupgrade: h2c\r\nhttp2-settings: AAMAAABkAAQAAP__\r\n\r\n'],
  ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
  ['expect 100-continue', 'POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}'],
  ['unsupported expectation', 'POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\nexpect: teapot\r\ncontent-length: 0\r\n\r\n'],
  ['a thousand small headers', `GET /health HTTP/1.1\r\nhost: x\r\n${Array.from({ length: 1000 }, (_, i) => `x-h${i}: ${i}`).join('\r\n')}\r\n\r\n`],
  ['headers over 16 KB', `GET /health HTTP/1.1\r\nhost: x\r\nx-big: ${'b'.repeat(17_000)}\r\n\r\n`],
  [
    'control body over 64 KB',
    `POST /__ratelimit/clock HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 70000\r\n\r\n${'{'.repeat(70_000)}`,
  ],
  [
    'body over 1 MiB with an idempotency key',
    `POST /v1/payment-intents HTTP/1.1\r\nhost: x\r\nauthorization: Bearer rl_test_acme_primary\r\nidempotency-key: big\r\ncontent-type: application/json\r\ncontent-length: 1100000\r\n\r\n${'x'.repeat(1_100_000)}`,
  ],
  [
    'pipelined: two good requests, then garbage',
    ['GET /health HTTP/1.1\r\nhost: x\r\n\r\nGET /v1/payment-intents HTTP/1.1\r\nhost: x\r\n\r\n', 'BROKEN / HTTP/1.1\r\n\r\n'],
  ],
  ['request split into single bytes', Array.from('GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n')],
  ['malformed percent-escapes in a control key', 'GET /__ratelimit/budgets/%E0%A4%A HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'],
  [
    'malformed JSON to the control API',
    'POST /__ratelimit/faults HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 9\r\nconnection: close\r\n\r\n{"kind":,',
  ],
  // Round two, part B (issue 10): the control API and web pages, many-chunk bodies.
  ['a control write as text/plain (a no-cors fetch)', httpText('POST', '/__ratelimit/clock', { 'content-type': 'text/plain' }, '{"mode":"virtual"}')],
  ['a control write as a form', httpText('POST', '/__ratelimit/faults', { 'content-type': 'application/x-www-form-urlencoded' }, 'kind=server-error')],
  [
    'a control write from another origin',
    httpText('POST', '/__ratelimit/clock', { 'content-type': 'application/json', origin: 'http://evil.test' }, '{"mode":"virtual"}'),
  ],
  ['a control read for a rebinding Host', 'GET /__ratelimit/budgets HTTP/1.1\r\nhost: evil.test\r\nconnection: close\r\n\r\n'],
  [
    '70,000 one-byte chunks to the control API',
    `POST /__ratelimit/faults HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n${'1\r\n{\r\n'.repeat(70_000)}0\r\n\r\n`,
  ],
  [
    '200,000 one-byte chunks with an idempotency key',
    `POST /v1/payment-intents HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer rl_test_acme_primary\r\nidempotency-key: chunks\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n${'1\r\n7\r\n'.repeat(200_000)}0\r\n\r\n`,
  ],
  [
    'a chunk extension on each of 2,000 chunks',
    `POST /webhooks/stripe HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n${'1;ext=value\r\n7\r\n'.repeat(2_000)}0\r\n\r\n`,
  ],
  [
    'control clock pushed to 1e300',
    'POST /__ratelimit/clock/advance HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 12\r\nconnection: close\r\n\r\n{"ms":1e300}',
  ],
];

/** The responses in what came back: a 5xx of the mock's own, or a stack trace, fails. */
function expectSoundRaw(res: RawExchange, what: string) {
  for (const match of res.raw.matchAll(/HTTP\/1\.[01] (\d{3})/g)) {
    const status = Number(match[1]);
    expect(status >= 500 && status !== 505, `${what} → ${status}: ${res.raw.slice(0, 300)}`).toBe(false);
  }
  for (const pattern of STACK_TRACE) expect(res.raw, `${what} leaked ${pattern}`).not.toMatch(pattern);
}

describe.each(PROFILES)('malformed bytes on raw sockets: %s', (profile) => {
  it.each(MALFORMED)('%s: no 5xx, no stack trace, and the next request is served', async (name, bytes, options) => {
    const mock = mockOf(profile);
    const res = await sendRaw(mock.url, bytes, { settleMs: 100, ...options });
    expectSoundRaw(res, name);
    await expectAlive(mock, name);
    await rawRequest(mock.url, { method: 'DELETE', path: '/__ratelimit/budgets' });
    await rawRequest(mock.url, { method: 'POST', path: '/__ratelimit/clock', headers: { 'content-type': 'application/json' }, body: '{"mode":"real"}' });
  });

  it(`survives ${Math.ceil(RUNS / 5)} random byte strings (seed ${SEED})`, { timeout: TIMEOUT_MS }, async () => {
    const mock = mockOf(profile);
    const line = fc.tuple(methodArb, pathArb, fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/1.x', '')).map(([m, p, v]) => `${m} ${p} ${v}`);
    const bytesArb = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 2048 }).map((b) => Buffer.from(b)),
      fc
        .tuple(line, fc.array(fc.tuple(printable(20), fc.uint8Array({ maxLength: 40 })), { maxLength: 8 }), fc.uint8Array({ maxLength: 256 }))
        .map(([l, hs, body]) =>
          Buffer.concat([
            Buffer.from(`${l}\r\nhost: x\r\n`),
            ...hs.map(([n, v]) => Buffer.concat([Buffer.from(`${n}: `), Buffer.from(v), Buffer.from('\r\n')])),
            Buffer.from('\r\n'),
            Buffer.from(body),
          ]),
        ),
    );
    await fc.assert(
      fc.asyncProperty(bytesArb, async (bytes) => {
        const res = await sendRaw(mock.url, bytes, { settleMs: 20, timeoutMs: 1_000 });
        expectSoundRaw(res, JSON.stringify(bytes.toString('latin1').slice(0, 120)));
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 5), endOnFailure: true },
    );
    await expectAlive(mock, 'random byte strings');
    expect((await sendRaw(mock.url, httpText('GET', '/health'))).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------------
// Hardening, round two (issue 10): credentials spelled every way RFC 9110 allows and forbids, forwarded
// addresses spelled every way, and numbers that overflow. The key a request is charged to and the answer
// it gets must agree, keys must be canonical, and --validate must refuse Infinity. All failed before.
// ---------------------------------------------------------------------------------------------------
describe('request fuzzing: round two (credentials, forwarded addresses, overflowing numbers)', () => {
  const schemeArb = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEARER', 'Basic', 'Bearer:', '');
  const gapArb = fc.constantFrom(' ', '  ', '   ', '\t', '\u00a0', ' \u00a0', '');
  const tokenArb = fc.oneof(
    fc.constantFrom('rl_test_acme_primary', 'rl_test_acme_ci', 'rl_test_globex_primary', 'RL_TEST_ACME_PRIMARY', 'rl_test_acme_primary='),
    printable(30),
  );
  // Latin-1 only: node's client refuses to send other characters in a header.
  const edgeArb = fc.constantFrom('', ' ', '\t', '\u00a0', '\u00ad', '\u00ff');
  const authorizationArb = fc.tuple(edgeArb, schemeArb, gapArb, tokenArb, edgeArb).map((parts) => parts.join(''));
  const octet = fc.integer({ min: 0, max: 255 });
  const forwardedArb = fc.oneof(
    fc.ipV4(),
    fc.ipV6(),
    fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 99999 })).map(([ip, port]) => `${ip}:${port}`),
    fc.ipV6().map((ip) => `[${ip}]:443`),
    fc.ipV4().map((ip) => `::ffff:${ip}`),
    fc.tuple(octet, octet, octet, octet).map((o) => o.map((n) => String(n).padStart(3, '0')).join('.')),
    fc.constantFrom('....', 'ffff', '999.999.999.999', '1.2.3.4.5.6', '', ',', 'unknown'),
    printable(40),
  );
  const CANONICAL_KEY = /^(?:organization:org_[a-z]+|ip:(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}|[0-9a-f:]+\/56))$/;

  it(`charges an organization exactly when it answers as that organization, and keys canonically (seed ${SEED})`, { timeout: TIMEOUT_MS }, async () => {
    const mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 1_000_000, trustProxy: true });
    try {
      mock.clock.freeze();
      const rule = storeRule(mock.policy.limits[0] as LimitPolicy);
      const left = () => (mock.store.peek([{ key: 'organization:org_acme', rule, cost: 1 }], mock.clock.now()) as Decision[])[0]?.remaining ?? 0;
      await fc.assert(
        fc.asyncProperty(authorizationArb, forwardedArb, async (authorization, forwarded) => {
          const before = left();
          let res: RawResponse;
          try {
            res = await rawRequest(mock.url, { path: '/v1/payment-intents', headers: { authorization, 'x-forwarded-for': forwarded } });
          } catch (error) {
            if (/ERR_INVALID|Invalid/.test(String((error as Error).message ?? error))) return;
            throw error;
          }
          const what = `${JSON.stringify(authorization)} from ${JSON.stringify(forwarded)}`;
          expectSound(res, what);
          const acme = /^ *bearer +rl_test_acme_(primary|ci)[ \t]*$/i.test(authorization.replace(/^[\t ]+/, '')) && !/RL_TEST/.test(authorization);
          expect(before - left(), `${what}: budget spent by org_acme`).toBe(acme ? 1 : 0);
          if (acme) expect(res.status, what).toBe(200);
          for (const key of await mock.store.keys(1000)) expect(key, what).toMatch(CANONICAL_KEY);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    } finally {
      await mock.close();
    }
  });

  it('--validate refuses a number that overflows to Infinity (1e999) for an integer field', async () => {
    const mock = mockOf('reconlayer');
    const res = await rawRequest(mock.url, {
      method: 'POST',
      path: '/v1/payment-intents',
      headers: { ...JSON_HEADERS, authorization: 'Bearer rl_test_acme_primary', 'idempotency-key': 'overflow-1' },
      body: '{"amount":1e999,"currency":"usd"}',
    });
    // The operation declares a 400 (BadRequest): its example is the body, the violations are in x-mock-reason.
    expect(res.status, res.text).toBe(400);
    expect(res.headers['x-mock-reason']).toMatch(/body\.amount: must be a finite number/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Hardening, round two, part B (issue 10): who may drive the control API. Random combinations of the
// headers a web page, curl or a rebinding page send, on a mock without and with a token, checked against
// the documented rule (docs/hardening.md, "Control endpoints"); a refused write must change nothing.
// ---------------------------------------------------------------------------------------------------
describe('request fuzzing: round two, part B (control API access)', () => {
  const TOKEN = 'a-long-control-token-0123456789';
  const ROUTES: Array<[string, string, string | undefined]> = [
    ['GET', '/__ratelimit/budgets', undefined],
    ['GET', '/__ratelimit/clock', undefined],
    ['POST', '/__ratelimit/clock/advance', '{"ms":1}'],
    ['POST', '/__ratelimit/faults', '{"kind":"pass","times":1}'],
    ['PUT', '/__ratelimit/clock', '{"mode":"virtual"}'],
    ['DELETE', '/__ratelimit/faults', undefined],
  ];
  const requestArb = fc.record({
    route: fc.constantFrom(...ROUTES),
    contentType: fc.constantFrom(
      undefined,
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
      '',
    ),
    host: fc.constantFrom(
      '127.0.0.1:PORT',
      'localhost:PORT',
      'app.localhost:PORT',
      '[::1]:PORT',
      '127.0.0.9',
      'evil.test:PORT',
      '127.0.0.1.evil.test',
      '10.0.0.1',
      'localhost.evil.test',
    ),
    origin: fc.constantFrom(undefined, 'own', 'own-https', 'http://evil.test', 'null', 'http://127.0.0.1:1', ''),
    site: fc.constantFrom(undefined, 'same-origin', 'none', 'same-site', 'cross-site', 'bogus', ''),
    token: fc.constantFrom(undefined, TOKEN, `${TOKEN}x`, TOKEN.slice(1), TOKEN.toUpperCase(), ''),
  });
  type Sent = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

  /** The rule as documented, written out independently of src/mock/control-access.ts. */
  function expected(req: Sent, host: string, withToken: boolean): 403 | 415 | 'served' {
    if (withToken ? req.token !== TOKEN : !/^(localhost|app\.localhost|\[::1\]|127\.0\.0\.[19])(:\d+)?$/.test(host)) return 403;
    if (req.site !== undefined && req.site !== 'same-origin' && req.site !== 'none') return 403;
    if (req.origin !== undefined && req.origin !== 'own' && req.origin !== 'own-https') return 403;
    const [method] = req.route;
    if (method !== 'GET' && method !== 'DELETE' && !/^application\/json(;|$)/i.test(req.contentType ?? '')) return 415;
    return 'served';
  }

  it.each([
    ['--control', false],
    ['--control-token', true],
  ] as const)(`%s: every combination is served or refused as documented (seed ${SEED})`, { timeout: TIMEOUT_MS }, async (_flag, withToken) => {
    const mock = await startMockServer({ profile: 'reconlayer', env: {}, ...(withToken ? { controlToken: TOKEN } : { control: true }) });
    const tokenHeader: Record<string, string> = withToken ? { 'x-ratelimit-control-token': TOKEN } : {};
    try {
      await fc.assert(
        fc.asyncProperty(requestArb, async (req) => {
          const host = req.host.replace('PORT', String(mock.port));
          const [method, path, body] = req.route;
          const headers: Record<string, string> = { host };
          if (req.contentType !== undefined) headers['content-type'] = req.contentType;
          if (req.origin !== undefined) headers.origin = req.origin === 'own' ? `http://${host}` : req.origin === 'own-https' ? `https://${host}` : req.origin;
          if (req.site !== undefined) headers['sec-fetch-site'] = req.site;
          if (req.token !== undefined) headers['x-ratelimit-control-token'] = req.token;
          const before = { now: mock.clock.now(), frozen: mock.clock.frozen };
          const res = await rawRequest(mock.url, { method, path, headers, body });
          const what = `${method} ${path} ${JSON.stringify(headers)}`;
          expectSound(res, what);
          const want = expected(req, host, withToken);
          if (want === 'served') expect([403, 415], `${what} → ${res.status} ${res.text}`).not.toContain(res.status);
          else {
            expect(res.status, `${what}: ${res.text}`).toBe(want);
            expect({ frozen: mock.clock.frozen, moved: mock.clock.frozen && mock.clock.now() !== before.now }, what).toEqual({
              frozen: before.frozen,
              moved: false,
            });
          }
          // Leave no state for the next run: a served write may have frozen the clock or added a step.
          await rawRequest(mock.url, { method: 'DELETE', path: '/__ratelimit/faults', headers: tokenHeader });
          await rawRequest(mock.url, { method: 'POST', path: '/__ratelimit/clock', headers: { ...JSON_HEADERS, ...tokenHeader }, body: '{"mode":"real"}' });
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    } finally {
      await mock.close();
    }
  });
});
