// node scripts/startup-time.mjs: how long `ratelimit-contract mock --spec <big spec>` takes to be ready,
// on its first start (Prism renders every response) and on the next (the catalog comes from the cache).
// The spec is ReconLayer's operations repeated under /v1/r<i>/... until it has N operations.
// Env: STARTUP_OPS (default 250,1000,3000), STARTUP_RUNS (default 3; the median is printed),
// STARTUP_ROOT (a checkout to measure instead of this one, e.g. an older build for a before/after).
// Each run spawns the CLI as a user does, in a fresh directory with a fresh XDG_CACHE_HOME, and times it to
// the banner: wall time, and the CPU time the process used (user + system, from /proc/<pid>/stat), which
// a machine shared with other work inflates far less.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.env.STARTUP_ROOT ?? new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const { load, dump } = require('js-yaml');
const SIZES = (process.env.STARTUP_OPS ?? '250,1000,3000').split(',').map(Number);
const RUNS = Number(process.env.STARTUP_RUNS ?? 3);
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** ReconLayer's spec with its operations repeated until there are `count`. */
function bigSpec(count) {
  const doc = load(readFileSync(new URL('../openapi/reconlayer.yaml', import.meta.url), 'utf8'));
  const operations = Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => [path, m, item[m]]));
  const paths = {};
  let made = 0;
  for (let i = 0; made < count; i += 1) {
    for (const [path, method, operation] of operations) {
      if (made >= count) break;
      const copy = path.startsWith('/v1/') ? `/v1/r${i}${path.slice(3)}` : `/r${i}${path}`;
      paths[copy] ??= {};
      paths[copy][method] = { ...operation, operationId: operation.operationId && `${operation.operationId}${i}` };
      made += 1;
    }
  }
  doc.paths = paths;
  return dump(doc, { noRefs: true });
}

/** CPU milliseconds (user + system) a process has used so far, or NaN where /proc is missing. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return Number.NaN;
  }
}

/** Wall and CPU milliseconds from spawn to the banner's "listening" line; then stops the mock. */
function timeToReady(spec, cacheHome) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(root, 'dist/cli/main.js'), 'mock', '--spec', spec, '--port', '0'], {
      cwd: cacheHome,
      env: { ...process.env, XDG_CACHE_HOME: cacheHome },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let ready;
    const onData = (data) => {
      output += data;
      if (ready === undefined && /listening\s+http/.test(output)) {
        ready = { wall: performance.now() - started, cpu: cpuMs(child.pid) };
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => (ready === undefined ? reject(new Error(`mock exited before it was ready: ${output}`)) : resolve(ready)));
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const scratch = mkdtempSync(join(tmpdir(), 'rlc-startup-'));
try {
  console.log(`mock start-up, ${root}dist (median of ${RUNS} runs)`);
  for (const size of SIZES) {
    const text = bigSpec(size);
    const first = [];
    const cached = [];
    for (let run = 0; run < RUNS; run += 1) {
      // A new text per run, so no cache (this build's or an older one's, which keyed by text) can answer.
      const spec = join(scratch, `ops-${size}-${run}.yaml`);
      writeFileSync(spec, `${text}# run ${run} ${Date.now()}\n`);
      const cacheHome = mkdtempSync(join(scratch, 'cache-'));
      first.push(await timeToReady(spec, cacheHome));
      cached.push(await timeToReady(spec, cacheHome));
    }
    const fmt = (runs) => {
      const wall = runs.map((r) => r.wall);
      return `${(median(wall) / 1000).toFixed(2)} s (${wall.map((v) => (v / 1000).toFixed(2)).join(', ')}; CPU ${(median(runs.map((r) => r.cpu)) / 1000).toFixed(2)} s)`;
    };
    console.log(`  ${String(size).padStart(5)} operations: first start ${fmt(first)}; cached ${fmt(cached)}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
