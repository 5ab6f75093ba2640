import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findRetryViolations, type RecordedAttempt, withBackoff } from '../src/client/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { mockRateLimitedApi, rateLimited } from '../src/nock/index.js';
import { runCli, runCliHere } from './support/run-cli.js';

// `ratelimit-contract check-log` runs assertRetryLog's checks over a log from a file or a running mock:
// exit 0 polite, 1 with findings, 2 on usage errors, each usage error one line.
const dir = mkdtempSync(join(tmpdir(), 'rlc-check-log-'));
const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] } satisfies Parameters<typeof vi.useFakeTimers>[0];
const ALPHA = { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key' };
const SESSION = 'https://check-log.authmatech.test/v1/api/identity/sessions/ses_1';
const write = (name: string, json: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(json));
  return file;
};
let polite: string;
let immediate: string;
let immediateAttempts: RecordedAttempt[];

beforeAll(async () => {
  nock.disableNetConnect();
  const api = await mockRateLimitedApi({ profile: 'authmatech', baseUrl: 'https://check-log.authmatech.test' });
  vi.useFakeTimers(FAKE);
  try {
    api.script('*', [rateLimited(3)]);
    await api.settle(
      withBackoff(() => fetch(SESSION, { headers: ALPHA })),
      vi,
    );
    polite = write('polite.json', { attempts: api.attempts });
    await api.reset();
    api.script('*', [rateLimited(3)]);
    const retryAtOnce = async () => {
      for (let attempt = 1; ; attempt += 1) {
        const res = await fetch(SESSION, { headers: ALPHA });
        if (res.status !== 429 || attempt === 5) return res;
      }
    };
    await api.settle(retryAtOnce(), vi);
    immediateAttempts = JSON.parse(JSON.stringify(api.attempts));
    immediate = write('immediate.json', immediateAttempts);
  } finally {
    vi.useRealTimers();
    await api.restore();
    nock.enableNetConnect();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('check-log on a saved log', () => {
  it('exits 0 for a polite client (withBackoff, the doc’s snippet), and says what it judged', async () => {
    const result = await runCliHere(['check-log', '--profile', 'authmatech', polite]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /^check-log: 4 attempt\(s\) in 1 chain\(s\) from .*polite\.json, judged by 10 checks of the Authmatech rules \(clock tolerance 0 ms\): polite\.\n$/,
    );
  });

  it('exits 1 for immediate retries, with the same findings assertRetryLog reports', async () => {
    const result = await runCliHere(['check-log', '--profile', 'authmatech', immediate]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ backoff-too-fast \(3 findings\): retry 1 \(#2 GET \/v1\/api\/identity\/sessions\/ses_1\) waited 0 ms after a 429/);
    expect(result.stdout).toMatch(/Fix: wait base × factor/);
    const json = await runCliHere(['check-log', '--profile', 'authmatech', '--format', 'json', immediate]);
    const report = JSON.parse(json.stdout);
    expect(json.code).toBe(1);
    expect(report).toMatchObject({ rules: 'Authmatech', attempts: 4, chains: 1, polite: false, toleranceMs: 0 });
    expect(report.violations).toEqual(JSON.parse(JSON.stringify(findRetryViolations(immediateAttempts, 'authmatech'))));
  });

  it('--rules lays rule-set fields over the profile; --spec of an embedded profile means its rules; --key filters', async () => {
    const rules = write('rules.json', { backoff: { baseDelayMs: 0, factor: 1, maxDelayMs: 0, jitterMs: 0 }, noJitterFalsePositiveRate: false });
    expect((await runCliHere(['check-log', '--profile', 'authmatech', '--rules', rules, immediate])).code).toBe(0);
    const bySpec = await runCliHere(['check-log', '--spec', 'openapi/authmatech.yaml', '--format', 'json', immediate]);
    expect(JSON.parse(bySpec.stdout).rules).toBe('Authmatech');
    const other = await runCliHere(['check-log', '--profile', 'authmatech', '--key', 'client:nobody', immediate]);
    expect(other).toMatchObject({ code: 2, stdout: '' });
    expect(other.stderr).toMatch(/holds no attempts of key client:nobody/);
    expect((await runCliHere(['check-log', '--profile', 'authmatech', '--key', 'client:client_alpha', immediate])).code).toBe(1);
  });

  it('reads a log written by hand or by another language: atMs, method, path and status are enough', async () => {
    const file = write('minimal.json', [
      { atMs: 0, method: 'get', path: '/v1/x', status: 429, retryAfterSeconds: 2 },
      { atMs: 500, method: 'get', path: '/v1/x', status: 200 },
    ]);
    const result = await runCliHere(['check-log', '--profile', 'reconlayer', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/retry-before-retry-after: #2 GET \/v1\/x came 500 ms after a 429 that said retry-after 2 s/);
  });
});

describe('check-log usage errors: one line, exit 2', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['no log', () => ['--profile', 'reconlayer'], /pass exactly one attempt log/],
    ['no rules', () => [polite], /pass exactly one of --profile reconlayer\|authmatech\|http or --spec <file>/],
    ['both rules', () => ['--profile', 'reconlayer', '--spec', 'openapi/reconlayer.yaml', polite], /pass exactly one of --profile/],
    ['unknown profile', () => ['--profile', 'github', polite], /Failed to select the profile "github"/],
    ['missing file', () => ['--profile', 'http', join(dir, 'nope.json')], /nope\.json: no such file/],
    ['not JSON', () => ['--profile', 'http', write('bad.json', []).replace('bad.json', '../')], /it is a directory|not JSON/],
    [
      'a bad attempt',
      () => ['--profile', 'http', write('bad-attempt.json', { attempts: [{ atMs: 0, method: 'GET', path: '/x' }] })],
      /\/attempts\/0\/status is not an HTTP status/,
    ],
    ['an empty log', () => ['--profile', 'http', write('empty.json', [])], /holds no attempts\. Run your client against the mock/],
    ['bad tolerance', () => ['--profile', 'http', '--tolerance-ms', 'soon', polite], /--tolerance-ms: "soon" is not a whole number/],
    ['bad format', () => ['--profile', 'http', '--format', 'xml', polite], /--format: "xml" is not a format/],
    ['unknown flag', () => ['--profile', 'http', '--verbose', polite], /Failed to read the check-log flags: Unknown option '--verbose'/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const result = await runCliHere(['check-log', ...args()]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--help prints the usage and exits 0; the top-level help lists check-log', async () => {
    const help = await runCliHere(['check-log', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ratelimit-contract check-log \(--profile <name> \| --spec <file>\) <log\.json \| mock URL>/);
    expect((await runCliHere(['--help'])).stdout).toMatch(/^ {2}check-log {2}judge a client's retries/m);
  });
});

describe('check-log on a running mock (the bin, spawned)', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, controlToken: 'check-log-token-0123456789' });
    nock.enableNetConnect();
    nock.restore();
    const token = { 'x-ratelimit-control-token': 'check-log-token-0123456789' };
    await fetch(`${mock.url}/__ratelimit/faults`, {
      method: 'POST',
      headers: { ...token, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'rate-limited', times: 1, retryAfterSeconds: 30 }),
    });
    for (let i = 0; i < 2; i += 1)
      await (await fetch(`${mock.url}/v1/payment-intents`, { headers: { authorization: 'Bearer rl_test_acme_primary' } })).arrayBuffer();
  });
  afterAll(async () => {
    await mock.close();
    nock.activate();
  });

  it('reads /__ratelimit/attempts with the token and finds the early retry; without the token it says why', async () => {
    const result = await runCli(['check-log', '--profile', 'reconlayer', '--control-token', 'check-log-token-0123456789', mock.url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/retry-before-retry-after: #2 GET \/v1\/payment-intents came \d+ ms after a 429 that said retry-after 30 s/);
    expect(result.stdout).toMatch(/clock tolerance 250 ms\): 1 finding\(s\)\.\n$/);
    const refused = await runCli(['check-log', '--profile', 'reconlayer', mock.url]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/the control API refused it \(403\)\. Pass the mock's --control-token/);
  });

  it('a URL where nothing listens, or a server without the control API, is a usage error', async () => {
    const off = await startMockServer({ profile: 'reconlayer', env: {} });
    try {
      const noControl = await runCli(['check-log', '--profile', 'reconlayer', off.url]);
      expect(noControl.stderr).toMatch(/404\. Is it a ratelimit-contract mock started with --control\?/);
      expect(noControl.code).toBe(2);
    } finally {
      await off.close();
    }
    const nobody = await runCli(['check-log', '--profile', 'reconlayer', off.url]);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toMatch(/nothing listens there\. Start the mock with --control/);
  });
});
