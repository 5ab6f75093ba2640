import { once } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { describe, it } from 'vitest';
import { profileFiles } from '../src/openapi/profiles.js';
import { type ReconlayerDefect, startReconlayer } from './implementations/reconlayer-fastify.js';
import { runCli, startCliMock } from './support/run-cli.js';

// `ratelimit-contract verify` spawned as a user runs it: against the mock (virtual clock), against a real
// Fastify server (1 s window) correct and broken, and with bad input.

const scratch = mkdtempSync(join(tmpdir(), 'rlc-verify-'));
const FAST = ['--limit', '3', '--window', '1s'];

/** A Fastify ReconLayer (3 per 1 s) for one test, so that tests can run side by side. */
async function withServer<T>(defect: ReconlayerDefect | undefined, use: (url: string) => Promise<T>): Promise<T> {
  const server = await startReconlayer({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '1s' }, defect });
  try {
    return await use(server.url);
  } finally {
    await server.close();
  }
}

describe.concurrent('ratelimit-contract verify', () => {
  it('exits 0 with a JSON report when every check passes, with progress on stderr', async ({ expect }) => {
    const result = await withServer(undefined, (url) => runCli(['verify', '--profile', 'reconlayer', '--target', url, ...FAST, '--reporter', 'json']));
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { clock: string; summary: { passed: number; failed: number }; results: Array<{ id: string; status: string }> };
    expect(report.clock).toBe('real');
    expect(report.summary).toMatchObject({ passed: 21, failed: 0, blocked: 0 });
    expect(result.stderr).toMatch(/verifying reconlayer against http:\/\/127\.0\.0\.1:\d+ \(21 checks\)/);
    expect(result.stderr).toMatch(/\[21\/21\] ✓ reconlayer\/unresolved-keyed-by-ip/);
  });

  it('exits 1 and shows the request, expected vs actual and the doc clause of a failure', async ({ expect }) => {
    const result = await withServer('missing-retry-after', (url) => runCli(['verify', '--profile', 'reconlayer', '--target', url, ...FAST]));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ reconlayer\/retry-after-on-429/);
    expect(result.stdout).toMatch(/The 429 has no retry-after header/);
    expect(result.stdout).toMatch(/request: {2}GET \/v1\/payment-intents {2}\(authorization: Bearer rl_test_…\)/);
    expect(result.stdout).toMatch(/expected: retry-after: whole seconds until the window resets/);
    expect(result.stdout).toMatch(/actual: {3}no retry-after header/);
    expect(result.stdout).toMatch(/doc: {6}"ReconLayer responds with 429 Too Many Requests and adds a retry-after header/);
    expect(result.stdout).toMatch(/21 checks: 20 passed, 1 failed, 0 skipped/);
  });

  it('writes a JUnit report to --output, and honours --skip with its reason', async ({ expect }) => {
    const output = join(scratch, 'report.xml');
    const skip = 'reconlayer/retry-after-on-429=known issue, tracked in OPS-1';
    const result = await withServer('missing-retry-after', (url) =>
      runCli(['verify', '--profile', 'reconlayer', '--target', url, ...FAST, '--reporter', 'junit', '--output', output, '--skip', skip]),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/report written to .*report\.xml: 20 passed, 0 failed, 1 skipped/);
    const xml = readFileSync(output, 'utf8');
    expect(xml).toMatch(/<testsuite name="ratelimit-contract reconlayer" tests="21" failures="0" skipped="1"/);
    expect(xml).toMatch(/<skipped message="known issue, tracked in OPS-1"\/>/);
  });

  it('writes an HTML report to --output for a failing run, exit 1, and says where', async ({ expect }) => {
    const output = join(scratch, 'report.html');
    const result = await withServer('missing-retry-after', (url) =>
      runCli(['verify', '--profile', 'reconlayer', '--target', url, ...FAST, '--reporter', 'html', '--output', output]),
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/report written to .*report\.html: 20 passed, 1 failed, 0 skipped/);
    const html = readFileSync(output, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toMatch(/<article class="check failed" id="check-\d+-reconlayer-retry-after-on-429"/);
    expect(html).toContain('The 429 has no retry-after header');
  });

  it('uses the virtual clock of the mock started with --control', async ({ expect }) => {
    const mock = await startCliMock(['--port', '0', '--control', '--limit', '5', '--window', '1m']);
    try {
      const result = await runCli(['verify', '--profile', 'reconlayer', '--target', mock.url, '--limit', '5', '--window', '1m']);
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).toMatch(/virtual clock/);
      expect(result.stdout).toMatch(/21 checks: 21 passed/);
    } finally {
      mock.child.kill('SIGTERM');
    }
  });
});

describe.concurrent('ratelimit-contract verify: bad input', () => {
  it('reports an unreachable target in one line, exit 2', async ({ expect }) => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    await new Promise((resolve) => blocker.close(resolve));
    const result = await runCli(['verify', '--profile', 'reconlayer', '--target', `http://127.0.0.1:${port}`]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `ratelimit-contract: Failed to reach the target http://127.0.0.1:${port}: connection refused. Start the server first, or fix --target.`,
    );
  });

  it.for([
    [['verify', '--profile', 'reconlayer'], /no --target was given/],
    [['verify', '--target', 'http://127.0.0.1:1'], /neither --profile nor --spec was given\. Pass --profile authmatech\|reconlayer, or --spec/],
    [['verify', '--profile', 'stripe', '--target', 'http://127.0.0.1:1'], /profile "stripe"/],
    [['verify', '--profile', 'reconlayer', '--target', 'not a url'], /"not a url": it is not a URL/],
    [['verify', '--profile', 'reconlayer', '--target', 'http://127.0.0.1:1', '--reporter', 'tap'], /--reporter: "tap" is not a reporter/],
    [['verify', '--profile', 'reconlayer', '--target', 'http://127.0.0.1:1', '--reporter', 'html'], /--reporter html needs --output <file>/],
    // An unwritable --output fails before the run (the target here does not even exist).
    [
      ['verify', '--profile', 'reconlayer', '--target', 'http://127.0.0.1:1', '--output', join(scratch, 'no-such-folder', 'r.html')],
      /no-such-folder does not exist/,
    ],
    [['verify', '--profile', 'reconlayer', '--target', 'http://127.0.0.1:1', '--reporter', 'html', '--output', scratch], /: it is a directory\./],
    [['verify', '--profile', 'reconlayer', '--target', 'http://127.0.0.1:1', '--limit', '0'], /--limit: "0" is not a positive whole number/],
    [['verify', '--profile', 'reconlayer', '--target', 'http://127.0.0.1:1', '--window', 'soon'], /--window: "soon" is not a duration/],
    [
      ['verify', '--profile', 'reconlayer', '--target', 'http://127.0.0.1:1', '--skip', 'reconlayer/nope=x'],
      /Failed to skip "reconlayer\/nope": there is no such check/,
    ],
    [['verify', '--profile', 'reconlayer', '--target', 'http://127.0.0.1:1', '--skip', 'reconlayer/429-is-json='], /no reason was given/],
    [['verify', '--profile', 'reconlayer', '--target', 'http://127.0.0.1:1', '--skip', 'reconlayer/429-is-json'], /expected <check id>=<reason>/],
    [['verify', '--bogus'], /Unknown option '--bogus'.*verify --help/],
  ] as Array<[string[], RegExp]>)('%j → one line, exit 2', async ([args, pattern], { expect }) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
  });

  it('prints help with exit 0', async ({ expect }) => {
    const result = await runCli(['verify', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--reporter <name> {7}pretty \(default\), json, junit or html/);
    expect(result.stdout).toMatch(/--reporter html --output report\.html writes one self-contained file/);
    expect(existsSync(scratch)).toBe(true);
  });
});

/**
 * A user's own API keyed by a custom header, `x-user-token`, declared as an apiKey security scheme next to
 * a second secret header: the spec (from Authmatech's) and its credentials file.
 */
function customTokenApi(): { spec: string; credentials: string; secrets: string[] } {
  const doc = load(readFileSync(profileFiles('authmatech').spec, 'utf8')) as Record<string, Record<string, unknown>>;
  (doc['x-rate-limit'] as Record<string, unknown>).key = { by: 'header', header: 'x-user-token', principal: 'user', fallback: 'ip' };
  (doc.components as Record<string, unknown>).securitySchemes = {
    apiKey: { type: 'apiKey', in: 'header', name: 'X-User-Token' },
    clientId: { type: 'apiKey', in: 'header', name: 'X-Session-Secret' },
  };
  const spec = join(scratch, 'user-token-api.yaml');
  writeFileSync(spec, dump(doc));
  const secrets = ['utok_alice_4f9a2c7e81d3b6a5', 'ssec_alice_9b1e77c20d4f', 'utok_bob_0c55e1a9f3b27d84', 'ssec_bob_3a8d6e01c9f2'];
  const credentials = join(scratch, 'user-token.credentials.json');
  writeFileSync(
    credentials,
    JSON.stringify({
      principals: [
        { id: 'user_alice', credentials: [{ 'x-user-token': secrets[0], 'x-session-secret': secrets[1] }] },
        { id: 'user_bob', credentials: [{ 'x-user-token': secrets[2], 'x-session-secret': secrets[3] }] },
      ],
    }),
  );
  return { spec, credentials, secrets };
}

// These start a mock on a spec of the test's own, which Prism renders on a cold cache (as in CI): over 20 s
// on this 2-core machine under a full parallel run.
describe.concurrent('ratelimit-contract verify: your own spec', { timeout: 90_000 }, () => {
  it('a spec keyed by a header, with no credentials file, passes against our own mock (the unknown-key step skips, saying why)', async ({ expect }) => {
    const spec = join(mkdtempSync(join(tmpdir(), 'rlc-byheader-')), 'api.yaml');
    copyFileSync(profileFiles('authmatech').spec, spec);
    const mock = await startCliMock(['--spec', spec, '--port', '0', '--control']);
    try {
      const result = await runCli(['verify', '--spec', spec, '--target', mock.url, '--reporter', 'json']);
      expect(result.code, result.stdout).toBe(0);
      const report = JSON.parse(result.stdout) as { results: Array<{ id: string; status: string; reason?: string }> };
      expect(report.results.find((r) => r.id === 'spec/unresolved-keyed-by-ip')).toMatchObject({
        status: 'skipped',
        reason: expect.stringMatching(/whether an unknown x-client-id mints a budget cannot be told without a credentials file/),
      });
    } finally {
      mock.child.kill('SIGTERM');
    }
  });

  it('masks every header that carries a credential (the key header and the security schemes) in pretty, JSON, JUnit and HTML reports', async ({ expect }) => {
    const { spec, credentials, secrets } = customTokenApi();
    // The mock runs with 4 per window and the suite is told 5, so checks fail and print their requests.
    const mock = await startCliMock(['--spec', spec, '--credentials', credentials, '--port', '0', '--control', '--limit', '4']);
    try {
      const verify = (reporter: string) =>
        runCli(['verify', '--spec', spec, '--credentials', credentials, '--target', mock.url, '--limit', '5', '--reporter', reporter]);
      const htmlFile = join(scratch, 'masked.html');
      const [pretty, json, junit, html] = await Promise.all([
        verify('pretty'),
        verify('json'),
        verify('junit'),
        runCli(['verify', '--spec', spec, '--credentials', credentials, '--target', mock.url, '--limit', '5', '--reporter', 'html', '--output', htmlFile]).then(
          (result) => ({ ...result, stdout: readFileSync(htmlFile, 'utf8') }),
        ),
      ]);
      // The HTML report lists every request each check sent, so every credential of the file went out in one.
      expect(html.stdout.match(/x-user-token: utok_(ali|bob)…/g)?.length).toBeGreaterThan(10);
      expect(html.stdout).toMatch(/x-session-secret: ssec_(ali|bob)…/);
      for (const [name, result] of [
        ['pretty', pretty],
        ['json', json],
        ['junit', junit],
        ['html', html],
      ] as const) {
        expect(result.code, `${name}: ${result.stderr}`).toBe(1);
        expect(result.stdout, name).toMatch(/x-user-token.{0,4}utok_(ali|bob)…/);
        for (const secret of secrets) expect(result.stdout, name).not.toContain(secret);
      }
      expect(pretty.stdout).toMatch(/✗ spec\/429-after-exactly-limit/);
      expect(pretty.stdout).toMatch(/x-session-secret: ssec_(ali|bob)…/);
    } finally {
      mock.child.kill('SIGTERM');
    }
  });
});
