import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawRequest } from './support/raw-request.js';
import { runCli, runCliHere, startCliMock } from './support/run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'rlc-cli-'));
const file = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

function expectOneLineUsageError(result: { code: number | null; stderr: string; stdout: string }, pattern: RegExp) {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

// Bad input runs through runCli in this process (what the bin runs: same exit code, stdout and stderr); the
// bin itself is spawned for --help, and by the bad-config corpus for one case of each kind.
describe('ratelimit-contract mock: bad input', () => {
  it.each([
    [['mock', '--profile', 'stripe'], {}, /profile "stripe".*--profile authmatech\|reconlayer/],
    [['mock', '--spec', '/nonexistent/api.yaml'], {}, /Failed to read the spec \/nonexistent\/api\.yaml: no such file/],
    [['mock', '--port', '99999'], {}, /--port: "99999" is not a port/],
    [['mock', '--limit', '0'], {}, /--limit: "0" is not a positive whole number/],
    [['mock', '--window', 'soon'], {}, /--window: "soon" is not a duration/],
    [['mock', '--algorithm', 'leaky'], {}, /--algorithm: "leaky"/],
    [['mock', '--bogus'], {}, /Unknown option '--bogus'.*mock --help/],
    [['mock'], { RATE_LIMIT_MAX: 'abc' }, /RATE_LIMIT_MAX: "abc" is not a positive whole number/],
    [['mock'], { RATE_LIMIT_WINDOW: '1 minutee' }, /RATE_LIMIT_WINDOW: "1 minutee" is not a duration/],
    [['mock', '--profile', 'reconlayer', '--spec', 'x.yaml'], {}, /both --profile and --spec/],
    [['frobnicate'], {}, /no such command/],
  ])('%j %j → one line, exit 2', async (args, env, pattern) => {
    expectOneLineUsageError(await runCliHere(args, env), pattern);
  });

  it('names the file and JSON pointer of a bad policy', async () => {
    const spec = file(
      'bad-policy.yaml',
      'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\nx-rate-limit:\n  limit: 0\n  window: 1m\n  key: {by: ip}\n  rejection: {body: {}}\n',
    );
    expectOneLineUsageError(await runCliHere(['mock', '--spec', spec]), new RegExp(`${spec}#/x-rate-limit/limit must be >= 1`));
  });

  it('names the file of an unparsable spec', async () => {
    const spec = file('broken.yaml', 'openapi: 3.1.0\npaths: [\n');
    expectOneLineUsageError(await runCliHere(['mock', '--spec', spec]), /Failed to parse the spec .*broken\.yaml/);
  });

  it('reports a port already in use', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    const result = await runCliHere(['mock', '--port', String(port)]);
    blocker.close();
    expectOneLineUsageError(result, new RegExp(`Failed to listen on 127.0.0.1:${port}: the port is already in use`));
  });

  it('prints help with exit 0', async () => {
    const result = await runCli(['mock', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--control-token/);
  });
});

describe('ratelimit-contract mock: running', () => {
  it('prints the banner, logs one line per request, and stops cleanly on SIGTERM', async () => {
    const { child, url, output } = await startCliMock(['--port', '0'], { RATE_LIMIT_MAX: '7' });
    const exited = once(child, 'exit');
    try {
      expect(output()).toMatch(/limit\s+7 requests per 1 minute, fixed-window \(limit from RATE_LIMIT_MAX\)/);
      expect(output()).toMatch(/exempt\s+\/health, \/openapi\.json/);
      expect(output()).toMatch(/control\s+off/);
      const res = await rawRequest(url, { path: '/v1/payment-intents', headers: { authorization: 'Bearer rl_test_acme_primary' } });
      expect(res.headers['x-ratelimit-limit']).toBe('7');
      // The log is written in batches, once per event-loop turn of the mock: wait for it, however loaded the machine.
      await expect.poll(output, { timeout: 5_000 }).toMatch(/GET \/v1\/payment-intents key=organization:org_acme remaining=6 status=200/);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code).toBe(0);
    await expect(rawRequest(url, { path: '/health' })).rejects.toThrow(/ECONNREFUSED/);
  });

  it("finds a shipped spec's credentials from a relative --spec (cwd-relative, as a user types it)", async () => {
    const { child, url, output } = await startCliMock(['--port', '0', '--spec', 'openapi/reconlayer.yaml', '--limit', '1']);
    try {
      const send = (authorization: string) => rawRequest(url, { path: '/v1/payment-intents', headers: { authorization } });
      expect((await send('Bearer rl_test_nobody')).status).toBe(401);
      expect((await send('Bearer rl_test_acme_primary')).status).toBe(200);
      expect((await send('Bearer rl_test_globex_primary')).status).toBe(200);
      expect((await send('Bearer rl_test_acme_ci')).status).toBe(429);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    expect(output()).toMatch(/ratelimit-contract mock: ReconLayer API .*\(\/.*\/openapi\/reconlayer\.yaml\)/);
  });

  it('reports its own start-up time in the banner', async () => {
    const { child, output } = await startCliMock(['--port', '0', '--profile', 'authmatech']);
    const ready = /ready in (\d+) ms/.exec(output());
    child.kill('SIGTERM');
    expect(Number(ready?.[1])).toBeGreaterThan(0);
    expect(output()).toMatch(/responses\s+rendered by Prism \(fixture\)/);
  });

  it('keeps serving when its stdout is closed (piped into head), and still exits 0', async () => {
    const { child, url } = await startCliMock(['--port', '0']);
    const exited = once(child, 'exit');
    try {
      child.stdout?.destroy();
      for (let i = 0; i < 20; i++) {
        const res = await rawRequest(url, { path: '/v1/payment-intents', headers: { authorization: 'Bearer rl_test_acme_primary' } });
        expect(res.status).toBe(200);
      }
      await new Promise((r) => setTimeout(r, 50));
      expect(child.exitCode).toBe(null);
      expect((await rawRequest(url, { path: '/health' })).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
