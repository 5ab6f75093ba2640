import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, it } from 'vitest';

/** A Redis the tests started: reachable at `url`, stopped (and its process gone) after `stop()`. */
export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Why Redis tests cannot run here, in one line, or undefined when `redis-server` is installed. CI installs
 * Debian's redis-server (.ci/run); locally, `apt-get install redis-server`.
 */
export const redisUnavailable: string | undefined = (() => {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return probe.error || probe.status !== 0 ? 'redis-server is not installed (apt-get install -y redis-server); the Redis tests need it' : undefined;
})();

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server was not ready within 10 s: ${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code} before it was ready: ${output}`));
    });
  });
}

/**
 * Starts Debian's redis-server on a free 127.0.0.1 port, with no persistence (`--save '' --appendonly no`),
 * and resolves once it accepts connections. Retries on another port if the one picked was taken meanwhile.
 * `port` starts it on that port instead (a Redis restarted where its clients reconnect).
 */
export async function startRedis(options: { port?: number } = {}): Promise<RedisServer> {
  for (let attempt = 0; ; attempt += 1) {
    const port = options.port ?? (await freePort());
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'notice'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await waitForReady(child);
    } catch (error) {
      child.kill('SIGKILL');
      if (attempt < 2) continue;
      throw error;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      async stop() {
        if (child.exitCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      },
    };
  }
}

/**
 * Whether the Redis suites must run: REQUIRE_REDIS=1 (set by .ci/run) turns "redis-server is missing" from a
 * skip into a failure, so CI never passes with the shared-store tests skipped.
 */
export const redisRequired = process.env.REQUIRE_REDIS === '1';

/**
 * A describe block that needs redis-server: run when it is installed; else skipped with the one-line reason
 * in its title, or, under REQUIRE_REDIS=1, one failing test that says what is missing.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisUnavailable === undefined) describe(name, body);
  else if (redisRequired)
    describe(name, () => {
      it('needs redis-server (REQUIRE_REDIS=1)', () => {
        throw new Error(`${redisUnavailable}; REQUIRE_REDIS=1 forbids skipping the Redis tests`);
      });
    });
  else describe.skip(`${name} (skipped: ${redisUnavailable})`, body);
}
