import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** A replica running in a child process of its own: its URL, and `stop()`, which ends the process. */
export interface ReplicaProcess {
  url: string;
  host: string;
  port: number;
  stop(): Promise<void>;
}

const REGISTER = join(import.meta.dirname, 'register-typescript.mjs');

/**
 * Spawns `node <file.ts>` (a TypeScript test file, through register-typescript.mjs) with `env` over a clean
 * copy of process.env, and resolves once it prints `listening <url>`.
 */
export function startReplicaProcess(file: string, env: Record<string, string | undefined>): Promise<ReplicaProcess> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', REGISTER, file], {
      env: { ...process.env, NODE_OPTIONS: undefined, RATE_LIMIT_MAX: undefined, RATE_LIMIT_WINDOW: undefined, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} did not start within 60 s: ${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening (http:\/\/(\S+):(\d+))/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1] as string,
        host: match[2] as string,
        port: Number(match[3]),
        async stop() {
          if (child.exitCode !== null) return;
          child.kill('SIGTERM');
          const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
          await exited;
          clearTimeout(kill);
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code} before it listened: ${output}`));
    });
  });
}
