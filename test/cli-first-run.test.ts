import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CLI, runCli, startCliMock } from './support/run-cli.js';

// The first minutes of someone running the mock for their own API from a script: a window without a unit,
// a quiet mock on a free port whose URL the script must learn, and a file that says "ready".

const dir = mkdtempSync(join(tmpdir(), 'rlc-first-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stopped = (child: ReturnType<typeof spawn>) => new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

describe('--window needs a unit; RATE_LIMIT_WINDOW keeps the deployment meaning with a warning', () => {
  it('refuses --window 10 and names the units to use', async () => {
    const result = await runCli(['mock', '--window', '10', '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'ratelimit-contract: Failed to read --window: "10" has no unit. Pass 10s for seconds, 10m for minutes or 10ms for milliseconds.',
    );
  });

  it('says "must be positive" for --window 0s', async () => {
    const result = await runCli(['mock', '--window', '0s', '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Failed to read --window: "0s" must be positive\. Use a positive number with a unit/);
  });

  it('reads RATE_LIMIT_WINDOW=60 as 60 ms, as @fastify/rate-limit does, and warns with the units to use', async () => {
    const { child, output } = await startCliMock(['--port', '0'], { RATE_LIMIT_WINDOW: '60' });
    try {
      // The warning goes to stderr, the banner to stdout: the two pipes may arrive in either order.
      await vi.waitFor(() => expect(output()).toContain('warning'));
      expect(output()).toContain(
        'ratelimit-contract: warning: RATE_LIMIT_WINDOW=60 has no unit, so the window is 60 ms (a bare number is milliseconds, as @fastify/rate-limit reads it). Set RATE_LIMIT_WINDOW=60s for seconds or RATE_LIMIT_WINDOW=60ms to keep milliseconds and silence this.',
      );
      expect(output()).toMatch(/limit {7}300 requests per 60 ms/);
    } finally {
      child.kill('SIGTERM');
      await stopped(child);
    }
  });

  it('does not warn for a window with a unit, nor when --window overrides the env var', async () => {
    for (const [args, env] of [
      [['--port', '0'], { RATE_LIMIT_WINDOW: '60s' }],
      [['--port', '0', '--window', '2s'], { RATE_LIMIT_WINDOW: '60' }],
    ] as const) {
      const { child, output } = await startCliMock([...args], env);
      child.kill('SIGTERM');
      await stopped(child);
      expect(output()).not.toContain('warning');
    }
  });
});

describe('a quiet mock on a free port tells a script where it is', () => {
  it('--quiet --port 0 prints exactly one line, `listening <url>`, and serves there', async () => {
    const child = spawn(process.execPath, [CLI, 'mock', '--quiet', '--port', '0'], {
      env: { ...process.env, RATE_LIMIT_MAX: undefined, RATE_LIMIT_WINDOW: undefined },
    });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d;
        const match = /^listening (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    try {
      const res = await fetch(`${url}/v1/payment-intents`, { headers: { authorization: 'Bearer rl_test_acme_primary' } });
      expect(res.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await stopped(child);
    }
    expect(stdout).toBe(`listening ${url}\n`);
  });

  it('--ready-file holds the URL once it serves (a stale one is replaced first) and is removed on SIGTERM', async () => {
    const file = join(dir, 'mock-url');
    writeFileSync(file, 'http://127.0.0.1:1\n');
    const { child, url } = await startCliMock(['--port', '0', '--ready-file', file]);
    try {
      expect(readFileSync(file, 'utf8')).toBe(`${url}\n`);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      expect(await stopped(child)).toBe(0);
    }
    expect(existsSync(file)).toBe(false);
  });

  it('an unwritable --ready-file is a one-line usage error and the mock does not stay up', async () => {
    const result = await runCli(['mock', '--port', '0', '--ready-file', join(dir, 'no-such-dir', 'url')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^ratelimit-contract: Failed to write --ready-file .*no-such-dir\/url: ENOENT\. Pass a path in an existing, writable directory\.$/,
    );
    const directory = await runCli(['mock', '--port', '0', '--ready-file', dir]);
    expect(directory.code).toBe(2);
    expect(directory.stderr.trim()).toMatch(/^ratelimit-contract: Failed to read --ready-file .*: ERR_FS_EISDIR \(it must be a file the mock may replace\)\./);
  });
});

describe('a spec of your own with a first-time policy mistake', () => {
  const specWith = (policy: string) => {
    const file = join(dir, `api-${Math.random().toString(36).slice(2)}.yaml`);
    const base = readFileSync(join(import.meta.dirname, '..', 'openapi', 'authmatech.yaml'), 'utf8');
    writeFileSync(file, base.replace(/^x-rate-limit:\n {2}limit: 1000\n {2}window: 1 minute\n/m, `x-rate-limit:\n${policy}`));
    return file;
  };

  it('window: 0s says "must be positive"', async () => {
    const result = await runCli(['mock', '--port', '0', '--spec', specWith('  limit: 1000\n  window: 0s\n')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/#\/x-rate-limit\/window "0s" must be positive \(use a positive number with a unit, such as 10s, 1m/);
  });

  it('an upper-case header name says "lower-case header name", not a regex', async () => {
    const file = specWith('  limit: 1000\n  window: 1 minute\n');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  headers: {}\n', '  headers: { limit: X-RateLimit-Limit }\n'));
    const result = await runCli(['mock', '--port', '0', '--spec', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/#\/x-rate-limit\/headers\/limit must be a lower-case header name, e\.g\. x-ratelimit-limit \(lint shows the fix\)/);
    expect(result.stderr).not.toMatch(/pattern|\^\[/);
  });
});
