import { type ChildProcess, spawn } from 'node:child_process';
import { CLI } from './run-cli.js';

/** A `ratelimit-contract mock --quiet` in a process of its own: its URL, its stderr so far, and stop(). */
export interface MockProcess {
  url: string;
  child: ChildProcess;
  stderr(): string;
  /** Whether the process is still running (it never crashed). */
  alive(): boolean;
  stop(): Promise<void>;
}

/** Spawns the built CLI's mock with `--quiet --port 0` and the given flags; resolves once it prints `listening <url>`. */
export function startMockProcess(args: string[], env: Record<string, string | undefined> = {}): Promise<MockProcess> {
  const child = spawn(process.execPath, [CLI, 'mock', '--quiet', '--port', '0', ...args], {
    env: { ...process.env, RATE_LIMIT_MAX: undefined, RATE_LIMIT_WINDOW: undefined, RATE_LIMIT_STORE: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mock ${args.join(' ')} was not ready within 30 s: ${stdout}${stderr}`));
    }, 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk;
      const match = /listening (http:\/\/\S+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1] as string,
        child,
        stderr: () => stderr,
        alive: () => child.exitCode === null && child.signalCode === null,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(kill);
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mock ${args.join(' ')} exited with ${code} before it was ready: ${stdout}${stderr}`));
    });
  });
}
