import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** This checkout: the package as a project installs it (its package.json, dist/, openapi/, mocks/). */
export const ROOT = join(import.meta.dirname, '..', '..');

/**
 * A throwaway project in the system's temp folder, as a user's would be: its own package.json (CommonJS or
 * ESM), `ratelimit-contract` in node_modules (a link to this checkout, so `exports` resolves as from a real
 * install), the given packages linked from this checkout's node_modules, and copies of the given files.
 */
export function scratchProject(options: { type?: 'module'; packages: string[]; files: string[] }): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'rlc-project-'));
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'scratch-project', private: true, ...(options.type ? { type: options.type } : {}) }, null, 2)}\n`,
  );
  const modules = join(dir, 'node_modules');
  for (const name of options.packages) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
  }
  symlinkSync(ROOT, join(modules, 'ratelimit-contract'), 'dir');
  for (const file of options.files) copyFileSync(join(ROOT, file), join(dir, basename(file)));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunResult {
  code: number | null;
  output: string;
}

/**
 * Runs a command to completion in its own process group, bounded in time: past `timeoutMs` the whole group
 * (a runner and the workers it forked) is killed and the promise rejects with what it printed.
 */
export function runBounded(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d;
    });
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs} ms:\n${output}`));
    }, options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Builds dist/cjs (scripts/build-cjs.mjs) when it is missing or older than the ES build it is made from. */
export async function ensureCjsBuild(): Promise<void> {
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.js') && !f.startsWith('cjs'))
        .map((f) => statSync(join(dir, f)).mtimeMs),
    );
  const marker = join(ROOT, 'dist', 'cjs', 'client.cjs');
  if (existsSync(marker) && statSync(marker).mtimeMs >= newest(join(ROOT, 'dist'))) return;
  const built = await runBounded(process.execPath, [join(ROOT, 'scripts', 'build-cjs.mjs')], { cwd: ROOT, timeoutMs: 60_000 });
  if (built.code !== 0) throw new Error(`Failed to build dist/cjs:\n${built.output}`);
}
