import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSuite, runConformance, type SuiteOptions } from '../src/conformance/index.js';
import type { MockServerOptions } from '../src/engine/engine-options.js';
import { startMockServer } from '../src/mock/index.js';
import { mockRateLimitedApi as mswApi } from '../src/msw/index.js';
import { mockRateLimitedApi as nockApi } from '../src/nock/index.js';
import { describeRateLimitConformance } from '../src/vitest/index.js';
import { runCliHere, runNode } from './support/run-cli.js';

// Issue 14: an error raised through the programmatic API (startMockServer, the nock and MSW helpers,
// runConformance, the vitest suite) names the option as the user passed it ("Pass { limit: 300 }"), and
// the CLI keeps naming the flag ("Pass --limit 300"). Each option is tried on both fronts. Before, every
// programmatic error here spoke flags (or, for ipv6Subnet, "ipv6Subnet: 64"), and `{ window: '10' }`,
// `{ window: 0 }` and `{ algorithm: 'leaky' }` were accepted (10 ms; a 0 ms window; a TypeError later).

const scratch = mkdtempSync(join(tmpdir(), 'rlc-spelling-'));
const remoteRefSpec = join(scratch, 'remote-ref.yaml');
writeFileSync(
  remoteRefSpec,
  `openapi: 3.1.0
info: {title: t, version: "1"}
x-rate-limit: {limit: 5, window: 1m, key: {by: ip}, rejection: {body: {error: slow down}}}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              example: {$ref: "http://127.0.0.1:9/part.yaml"}
`,
);
const missing = resolve('no-such-spec.yaml');

/** A flag anywhere in a message: a word that starts with `--`. */
const FLAG = /(^|[\s('"`])--[a-z]/;

/** The message a promise rejects with, or a throwing function throws. */
async function messageOf(run: () => unknown): Promise<string> {
  try {
    const value = await run();
    await (value as { close?: () => Promise<void> } | undefined)?.close?.();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

interface MockCase {
  option: string;
  flags: string[];
  options: MockServerOptions;
  /** What the CLI says (flags) and what the programmatic API says (options). */
  cli: string;
  api: string;
  /** The nock and MSW helpers take this option too (they take no port, store or proxy options). */
  intercepted?: boolean;
}

const MOCK_CASES: MockCase[] = [
  {
    option: 'limit',
    flags: ['--limit', '0'],
    options: { limit: 0 },
    cli: 'Failed to read --limit: "0" is not a positive whole number. Pass e.g. --limit 300.',
    api: 'Failed to read the limit option: 0 is not a positive whole number. Pass e.g. { limit: 300 }.',
    intercepted: true,
  },
  {
    option: 'window (no unit)',
    flags: ['--window', '10'],
    options: { window: '10' },
    cli: 'Failed to read --window: "10" has no unit. Pass 10s for seconds, 10m for minutes or 10ms for milliseconds.',
    api: 'Failed to read the window option: "10" has no unit. Pass { window: "10s" } for seconds, { window: "10m" } for minutes, or { window: 10 } (a number) for milliseconds.',
    intercepted: true,
  },
  {
    option: 'window (zero)',
    flags: ['--window', '0s'],
    options: { window: 0 },
    cli: 'Failed to read --window: "0s" must be positive.',
    api: 'Failed to read the window option: 0 is not a positive whole number of milliseconds. Pass { window: "10s" }, or a number of milliseconds such as { window: 10000 }.',
    intercepted: true,
  },
  {
    option: 'algorithm',
    flags: ['--algorithm', 'leaky-bucket'],
    options: { algorithm: 'leaky-bucket' as never },
    cli: 'Failed to read --algorithm: "leaky-bucket" is not an algorithm. Pass --algorithm fixed-window|sliding-window|token-bucket.',
    api: 'Failed to read the algorithm option: "leaky-bucket" is not an algorithm. Pass { algorithm: "fixed-window" } or { algorithm: "sliding-window" } or { algorithm: "token-bucket" }.',
    intercepted: true,
  },
  {
    option: 'profile',
    flags: ['--profile', 'nope'],
    options: { profile: 'nope' as never },
    cli: 'Failed to select the profile "nope": there is no such profile. Use --profile authmatech|reconlayer, or --spec openapi/my-api.yaml for your own API.',
    api: 'Failed to select the profile "nope": there is no such profile. Use { profile: "authmatech" } or { profile: "reconlayer" }, or { spec: "openapi/my-api.yaml" } for your own API.',
    intercepted: true,
  },
  {
    option: 'profile and spec',
    flags: ['--profile', 'reconlayer', '--spec', 'openapi/reconlayer.yaml'],
    options: { profile: 'reconlayer', spec: 'openapi/reconlayer.yaml' },
    cli: 'Failed to choose the API: both --profile and --spec were given. Pass one of them.',
    api: 'Failed to choose the API: both the profile option and the spec option were given. Pass one of them.',
    intercepted: true,
  },
  {
    option: 'spec',
    flags: ['--spec', 'no-such-spec.yaml'],
    options: { spec: 'no-such-spec.yaml' },
    cli: `Failed to read the spec ${missing}: no such file. Pass --spec with the path of an OpenAPI 3.x YAML or JSON file (a relative path is read from the working directory), or use --profile authmatech|reconlayer.`,
    api: `Failed to read the spec ${missing}: no such file. Pass the spec option with the path of an OpenAPI 3.x YAML or JSON file (a relative path is read from the working directory), or use { profile: "authmatech" } or { profile: "reconlayer" }.`,
    intercepted: true,
  },
  {
    option: 'credentials',
    flags: ['--credentials', 'no-such-credentials.json'],
    options: { credentials: 'no-such-credentials.json' },
    cli: `Failed to read the credentials ${resolve('no-such-credentials.json')}: no such file. Pass --credentials with a JSON file`,
    api: `Failed to read the credentials ${resolve('no-such-credentials.json')}: no such file. Pass the credentials option with a JSON file`,
    intercepted: true,
  },
  {
    option: 'allowExternalRefs',
    flags: ['--spec', remoteRefSpec],
    options: { spec: remoteRefSpec },
    cli: 'Pass --allow-external-refs to fetch it',
    api: 'Pass { allowExternalRefs: true } to fetch it',
    intercepted: true,
  },
  {
    option: 'ipv6Subnet',
    flags: ['--ipv6-subnet', '0'],
    options: { ipv6Subnet: 0 },
    cli: 'Failed to read --ipv6-subnet: "0" is not an IPv6 prefix length. Pass a whole number from 1 to 128, e.g. --ipv6-subnet 64',
    api: 'Failed to read the ipv6Subnet option: 0 is not an IPv6 prefix length. Pass a whole number from 1 to 128, e.g. { ipv6Subnet: 64 }',
  },
  {
    option: 'maxKeys',
    flags: ['--max-keys', '0'],
    options: { maxKeys: 0 },
    cli: 'Failed to read --max-keys: "0" is not a positive whole number. Pass e.g. --max-keys 300.',
    api: 'Failed to read the maxKeys option: 0 is not a positive whole number. Pass e.g. { maxKeys: 100000 }.',
  },
];

describe('the mock: flags on the command line, options in code', () => {
  it.each(MOCK_CASES)('$option', async ({ flags, options, cli, api, intercepted }) => {
    const run = await runCliHere(['mock', '--port', '0', ...flags], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(cli);
    const fromCode = await messageOf(() => startMockServer({ port: 0, env: {}, ...options }));
    expect(fromCode).toContain(api);
    expect(fromCode).not.toMatch(FLAG);
    if (!intercepted) return;
    const choice = options.profile === undefined && options.spec === undefined ? { profile: 'reconlayer' as const } : {};
    for (const helper of [nockApi, mswApi]) {
      const message = await messageOf(() => helper({ ...choice, ...(options as object), baseUrl: 'https://api.spelling.test' }));
      expect(message).toContain(api);
    }
  });

  it('reads a number window as milliseconds and a string with a unit, on every programmatic front', async () => {
    const mock = await startMockServer({ port: 0, env: {}, window: 1500 });
    expect(mock.policy.limits[0]?.windowMs).toBe(1500);
    await mock.close();
    const suite = resolveSuite({ profile: 'reconlayer', window: '2s' });
    expect([suite.policy.windowMs, resolveSuite({ profile: 'reconlayer', window: 2000 }).policy.windowMs]).toEqual([2000, 2000]);
  });
});

interface SuiteCase {
  option: string;
  flags: string[];
  options: SuiteOptions;
  cli: string;
  api: string;
  /** Checked when the session opens (in vitest's beforeAll), not as the tests register. */
  atOpen?: boolean;
}

const SUITE_CASES: SuiteCase[] = [
  {
    option: 'limit',
    flags: ['--profile', 'reconlayer', '--limit', '0'],
    options: { profile: 'reconlayer', limit: 0 },
    cli: 'Failed to read --limit: "0" is not a positive whole number. Pass e.g. --limit 300.',
    api: 'Failed to read the limit option: 0 is not a positive whole number. Pass e.g. { limit: 5 }.',
  },
  {
    option: 'window',
    flags: ['--profile', 'reconlayer', '--window', '10'],
    options: { profile: 'reconlayer', window: '10' },
    cli: 'Failed to read --window: "10" has no unit. Pass 10s for seconds, 10m for minutes or 10ms for milliseconds.',
    api: 'Failed to read the window option: "10" has no unit. Pass { window: "10s" } for seconds',
  },
  {
    option: 'neither profile nor spec',
    flags: [],
    options: {},
    cli: 'Failed to choose the API: neither --profile nor --spec was given. Pass --profile authmatech|reconlayer, or --spec openapi/my-api.yaml for your own OpenAPI document.',
    api: 'Failed to choose the API: neither the profile option nor the spec option was given. Pass { profile: "authmatech" } or { profile: "reconlayer" }, or { spec: "openapi/my-api.yaml" } for your own OpenAPI document.',
  },
  {
    option: 'spec',
    flags: ['--spec', 'no-such-spec.yaml'],
    options: { spec: 'no-such-spec.yaml' },
    cli: `Failed to read the spec ${missing}: no such file. Pass --spec with the path`,
    api: `Failed to read the spec ${missing}: no such file. Pass the spec option with the path`,
  },
  {
    option: 'skip',
    flags: ['--profile', 'reconlayer', '--skip', 'reconlayer/429-is-json= '],
    options: { profile: 'reconlayer', skip: { 'reconlayer/429-is-json': ' ' } },
    cli: `Failed to skip "reconlayer/429-is-json": no reason was given. State why, e.g. --skip 'reconlayer/429-is-json=our deployment pins the limit in code'.`,
    api: 'Failed to skip "reconlayer/429-is-json": no reason was given. State why, e.g. { skip: { "reconlayer/429-is-json": "our deployment pins the limit in code" } }.',
  },
  {
    option: 'path',
    flags: ['--profile', 'reconlayer', '--path', 'v1/payment-intents'],
    options: { profile: 'reconlayer', path: 'v1/payment-intents' },
    cli: 'Failed to read --path: "v1/payment-intents" does not start with "/". Pass the limited route to probe, e.g. --path /v1/payment-intents.',
    api: 'Failed to read the path option: "v1/payment-intents" does not start with "/". Pass the limited route to probe, e.g. { path: "/v1/payment-intents" }.',
    atOpen: true,
  },
];

describe('the conformance suite: verify speaks flags, runConformance and the vitest suite speak options', () => {
  it.each(SUITE_CASES)('$option', async ({ flags, options, cli, api, atOpen }) => {
    const run = await runCliHere(['verify', '--target', 'http://127.0.0.1:9', ...flags], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(cli);
    for (const front of [
      () => runConformance({ ...options, target: 'http://127.0.0.1:9' }),
      // The vitest front end resolves the suite as it registers the tests: a bad option throws there.
      () => describeRateLimitConformance({ ...options, target: 'http://127.0.0.1:9' }),
    ].slice(0, atOpen ? 1 : 2)) {
      const message = await messageOf(front);
      expect(message).toContain(api);
      expect(message).not.toMatch(FLAG);
    }
  });

  it('target: not a URL, and unreachable', async () => {
    const bad = await runCliHere(['verify', '--profile', 'reconlayer', '--target', 'not a url'], {});
    expect(bad.stderr).toContain("it is not a URL. Pass the server's base URL, e.g. --target http://127.0.0.1:3001.");
    expect(await messageOf(() => runConformance({ profile: 'reconlayer', target: 'not a url' }))).toContain(
      'it is not a URL. Pass the server\'s base URL, e.g. { target: "http://127.0.0.1:3001" }.',
    );
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((done) => closed.close(() => done()));
    const refused = await runCliHere(['verify', '--profile', 'reconlayer', '--target', url], {});
    expect(refused.stderr).toContain('connection refused. Start the server first, or fix --target.');
    expect(await messageOf(() => runConformance({ profile: 'reconlayer', target: url }))).toContain(
      'connection refused. Start the server first, or fix the target option.',
    );
  });

  it('a check that suggests a limit names it as the user passed it (the issue: "pass --limit 19" from vitest)', async () => {
    const mock = await startMockServer({ profile: 'reconlayer', control: true, env: {}, limit: 4 });
    try {
      const hint = 'announces x-ratelimit-limit: 4; if that is the limit it runs with, pass';
      const cli = await runCliHere(['verify', '--profile', 'reconlayer', '--target', mock.url, '--limit', '5', '--reporter', 'json'], {});
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain(`${hint} --limit 4.`);
      const report = await runConformance({ profile: 'reconlayer', target: mock.url, limit: 5 });
      const summary = report.results.find((r) => r.id === 'reconlayer/429-after-exactly-max')?.failure?.summary;
      expect(summary).toContain(`${hint} { limit: 4 }.`);
    } finally {
      await mock.close();
    }
  });
});

describe('relative spec and credentials paths', () => {
  it('are read from the working directory, the same way by the mock, the MSW/nock helpers and the suite', async () => {
    // A process in another directory names a profile's spec and a credentials file of its own by relative
    // paths: every front resolves both against its cwd, and recognises the profile by the spec's absolute path.
    const cwd = mkdtempSync(join(tmpdir(), 'rlc-cwd-'));
    writeFileSync(join(cwd, 'keys.json'), JSON.stringify({ principals: [{ id: 'org_mine', credentials: [{ authorization: 'Bearer mine' }] }] }));
    const spec = relative(cwd, resolve('openapi/reconlayer.yaml'));
    const dist = resolve('dist');
    const script = `
      const { loadApiDefinition } = await import(${JSON.stringify(`${dist}/msw/index.js`)});
      const { resolveSuite } = await import(${JSON.stringify(`${dist}/conformance/index.js`)});
      const options = { spec: ${JSON.stringify(spec)}, credentials: 'keys.json' };
      const definition = await loadApiDefinition(options);
      const suite = resolveSuite(options);
      console.log(JSON.stringify({
        mock: [definition.source, definition.profile, definition.credentials.principals.map((p) => p.id)],
        suite: [suite.spec.source, suite.name, suite.credentials.principals.map((p) => p.id)],
      }));`;
    const run = await runNode(['--input-type=module', '-e', script], { cwd });
    expect(run.stderr).toBe('');
    const expected = [resolve('openapi/reconlayer.yaml'), 'reconlayer', ['org_mine']];
    expect(JSON.parse(run.stdout)).toEqual({ mock: expected, suite: expected });
  });
});
