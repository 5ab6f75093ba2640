// npm run bench: our mock on a limited route vs bare node:http, fastify + @fastify/rate-limit and `prism mock`
// on the same spec, all on 127.0.0.1, interleaved over several rounds; prints medians and ratios to bare.
// Options (env): BENCH_SECONDS (per run, default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 50), BENCH_PIN=0,
// BENCH_REDIS=0 and BENCH_WORKERS=0 (skip the shared-budget comparisons of bench/shared-budgets.mjs).
// Load generator: wrk when it is installed (apt-get install wrk: C, so the servers, not the client, are the
// bottleneck), else autocannon (JavaScript: on 2 cores it can saturate before a fast server does).
import { execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { benchSharedBudgets } from './shared-budgets.mjs';

const root = new URL('..', import.meta.url).pathname;
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const AUTH = { authorization: 'Bearer rl_test_acme_primary' };
const PATH = '/v1/payment-intents';

async function waitForHttp(url, timeoutMs = 30_000) {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    try {
      const res = await fetch(url, { headers: AUTH });
      await res.arrayBuffer();
      return performance.now() - start;
    } catch {
      await sleep(5);
    }
  }
  throw new Error(`Failed to reach ${url} within ${timeoutMs} ms`);
}

// With two or more cores and taskset (util-linux), each server runs on the last core and wrk on the first,
// so that the load generator and the server under test never take turns on one core (BENCH_PIN=0: off).
const cores = availableParallelism();
const canPin = process.env.BENCH_PIN !== '0' && cores >= 2 && commandExists('taskset', ['--version']);
const SERVER_CORE = String(cores - 1);
const pinned = (command, args) =>
  canPin ? spawn('taskset', ['-c', SERVER_CORE, command, ...args], { stdio: 'ignore' }) : spawn(command, args, { stdio: 'ignore' });

const SERVERS = {
  'ratelimit-contract mock': (port) =>
    pinned(process.execPath, [`${root}dist/cli/main.js`, 'mock', '--profile', 'reconlayer', '--port', String(port), '--limit', '1000000000', '--quiet']),
  'bare node:http': (port) => pinned(process.execPath, [`${root}bench/servers.mjs`, 'bare', String(port)]),
  'fastify + @fastify/rate-limit': (port) => pinned(process.execPath, [`${root}bench/servers.mjs`, 'fastify', String(port)]),
  'prism mock (CLI)': (port) =>
    pinned(`${root}node_modules/.bin/prism`, ['mock', `${root}openapi/reconlayer.yaml`, '-p', String(port), '-h', '127.0.0.1', '--errors', 'false']),
};

function commandExists(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch (error) {
    return error.code !== 'ENOENT' && typeof error.status === 'number'; // wrk --version exits 1 after printing its version
  }
}
const hasWrk = commandExists('wrk', ['--version']);

function runWrk(url, durationSeconds) {
  return new Promise((resolve, reject) => {
    const wrkArgs = ['-t1', `-c${connections}`, `-d${durationSeconds}s`, '--latency', '-H', `authorization: ${AUTH.authorization}`, url];
    const child = canPin ? spawn('taskset', ['-c', '0', 'wrk', ...wrkArgs]) : spawn('wrk', wrkArgs);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', () => {
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
      const scale = { us: 0.001, ms: 1, s: 1000 };
      const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
      const errors = /Socket errors: (.*)/.exec(out)?.[1];
      resolve({ rps, p99: p99 ? Number((Number(p99[1]) * scale[p99[2]]).toFixed(2)) : Number.NaN, non2xx, errors: errors ?? 0 });
    });
  });
}

async function load(url, durationSeconds) {
  if (hasWrk) return runWrk(url, durationSeconds);
  const result = await autocannon({ url, headers: AUTH, connections, duration: durationSeconds });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

async function measure(name, port) {
  const child = SERVERS[name](port);
  try {
    await waitForHttp(`http://127.0.0.1:${port}${PATH}`);
    await load(`http://127.0.0.1:${port}${PATH}`, 1); // warm-up
    return await load(`http://127.0.0.1:${port}${PATH}`, seconds);
  } finally {
    child.kill('SIGTERM');
    await sleep(300);
  }
}

async function readyTimes(times = 5) {
  const out = [];
  for (let i = 0; i < times; i += 1) {
    const port = 4700 + i;
    const started = performance.now();
    const child = spawn(process.execPath, [`${root}dist/cli/main.js`, 'mock', '--port', String(port), '--quiet'], { stdio: 'ignore' });
    await waitForHttp(`http://127.0.0.1:${port}/health`);
    out.push(performance.now() - started);
    child.kill('SIGTERM');
    await sleep(200);
  }
  return out;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const results = Object.fromEntries(Object.keys(SERVERS).map((name) => [name, []]));
let port = 4600;
for (let round = 1; round <= rounds; round += 1) {
  for (const name of Object.keys(SERVERS)) {
    port += 1;
    const r = await measure(name, port);
    results[name].push(r);
    console.error(
      `round ${round}/${rounds} ${name}: ${Math.round(r.rps)} req/s, p99 ${r.p99} ms${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}${r.errors ? `, ${r.errors} errors` : ''}`,
    );
  }
}

const bare = median(results['bare node:http'].map((r) => r.rps));
console.log(
  `\nbench: ${rounds} rounds × ${seconds} s, ${connections} connections, ${hasWrk ? 'wrk' : 'autocannon'}${canPin ? `, servers on core ${SERVER_CORE}, load on core 0` : ''}, GET ${PATH} on 127.0.0.1 (medians)\n`,
);
console.log(`${'server'.padEnd(32)}${'req/s'.padStart(10)}${'p99 ms'.padStart(9)}${'× bare'.padStart(9)}`);
const summary = {};
for (const [name, runs] of Object.entries(results)) {
  const rps = median(runs.map((r) => r.rps));
  const p99 = median(runs.map((r) => r.p99));
  summary[name] = { rps, p99, ratio: rps / bare };
  console.log(`${name.padEnd(32)}${String(Math.round(rps)).padStart(10)}${String(p99).padStart(9)}${(rps / bare).toFixed(2).padStart(9)}`);
}
// Rounds interleave the servers, so a ratio taken within one round cancels the machine's slow drifts in
// speed; the median of those per-round ratios is the figure to quote on a noisy machine.
const perRound = (other) => median(results['ratelimit-contract mock'].map((r, i) => r.rps / results[other][i].rps));
const targets = [
  ['fastify + @fastify/rate-limit', 1.1],
  ['prism mock (CLI)', 10],
  ['bare node:http', 0.95],
];
console.log('');
for (const [other, target] of targets) {
  const ofMedians = summary['ratelimit-contract mock'].rps / summary[other].rps;
  console.log(
    `mock vs ${`${other}:`.padEnd(31)}${perRound(other).toFixed(2).padStart(6)}× median of per-round ratios, ${ofMedians.toFixed(2)}× of medians (target ≥ ${target})`,
  );
}
await benchSharedBudgets({
  load,
  waitForHttp,
  pinned,
  median,
  rounds,
  seconds,
  root,
  path: PATH,
  canPin,
  serverCore: SERVER_CORE,
  hasRedis: commandExists('redis-server', ['--version']),
});
const ready = await readyTimes();
console.log(
  `ready to serve (spawn → first 200 on /health): median ${Math.round(median(ready))} ms of ${ready.map((t) => Math.round(t)).join(', ')} (target < 500)`,
);
