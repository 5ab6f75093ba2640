import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { formatInternalError, runCli as runCliInProcess } from '../../src/cli/run-cli.js';

/** The built CLI, spawned as a user runs it (npm test builds dist first). */
export const CLI = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', 'dist', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion with the given env (merged over a clean copy of process.env). */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 15_000): Promise<CliResult> {
  return runNode([CLI, ...args], { env: { ...process.env, RATE_LIMIT_MAX: undefined, RATE_LIMIT_WINDOW: undefined, ...env }, timeoutMs });
}

/**
 * Runs the CLI in this process, as the bin would (the same runCli, exit code, stdout and stderr), with only
 * the given env vars. A command that would keep running (the mock) is told to stop at once.
 */
export async function runCliHere(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io = {
    out: (text: string) => {
      stdout += text;
    },
    err: (text: string) => {
      stderr += text;
    },
    env,
    untilStopped: async () => 'stop',
  };
  try {
    return { code: await runCliInProcess(args, io), stdout, stderr };
  } catch (error) {
    return { code: 70, stdout, stderr: stderr + formatInternalError(error) };
  }
}

/** Runs `node <args>` to completion and collects its output; rejects if it outlives the timeout. */
export function runNode(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const { env = process.env, cwd, timeoutMs = 15_000 } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} did not exit within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the CLI's mock and resolves once its banner shows the URL; the caller stops it. */
export function startCliMock(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'mock', ...args], { env: { ...process.env, RATE_LIMIT_MAX: undefined, RATE_LIMIT_WINDOW: undefined, ...env } });
    let output = '';
    let ready = false;
    const onData = (d: Buffer) => {
      output += d;
      const match = /listening\s+(http:\/\/\S+)/.exec(output);
      if (ready || !match?.[1] || !output.includes('ready in')) return;
      ready = true;
      resolve({ child, url: match[1], output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`mock exited with ${code} before it was ready: ${output}`)));
    setTimeout(() => {
      if (ready) return;
      // Never leave a mock behind: one that did not get ready is stopped. A user spec renders with Prism on
      // its first start, which took over 10 s on this 2-core machine under a full test run.
      child.kill('SIGKILL');
      reject(new Error(`mock was not ready within 30 s: ${output}`));
    }, 30_000).unref();
  });
}
