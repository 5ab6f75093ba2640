// npm run bench, part two (issue 12): shared budgets. Called by bench/run.mjs with its load generator.
// 1. The mock on Redis vs fastify + @fastify/rate-limit on the same Redis (its Redis store, ioredis, set up
//    as its README's example does), each a process of its own on the server core with Redis, interleaved
//    over rounds.
// 2. `mock --workers 2` (budgets in the primary, over IPC) vs one process, unpinned (both cores; the load
//    generator takes one of them), with the CPU each spends per request: utime + stime of the whole
//    process tree (primary and workers), from /proc, over the measured run.
// BENCH_REDIS=0 skips part 1, BENCH_WORKERS=0 part 2; part 1 needs redis-server (apt-get install redis-server).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

async function startRedis(pin) {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = pin ? spawn('taskset', ['-c', pin, 'redis-server', ...args], { stdio: 'ignore' }) : spawn('redis-server', args, { stdio: 'ignore' });
  for (let i = 0; i < 100; i += 1) {
    await sleep(50);
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') break;
  }
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);

/** CPU time (µs) of a process and its children, from /proc: utime + stime. */
function treeCpuUs(pid) {
  let ticks = 0;
  const pids = [pid];
  for (let i = 0; i < pids.length; i += 1) {
    try {
      const stat = readFileSync(`/proc/${pids[i]}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      for (const task of readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, 'utf8').trim().split(/\s+/)) if (task) pids.push(Number(task));
    } catch {
      // The process is gone: it no longer counts.
    }
  }
  return ticks * TICK_US;
}

/**
 * Runs the shared-budget comparisons; `bench` brings run.mjs's helpers: load(url, seconds), waitForHttp,
 * pinned(command, args), median, rounds, seconds, root, path, hasRedis.
 */
export async function benchSharedBudgets(bench) {
  const { load, waitForHttp, pinned, median, rounds, seconds, root, path } = bench;
  const cli = `${root}dist/cli/main.js`;
  const lines = [];
  let port = 4800;
  const measure = async (start, { cpu = false, redisPid } = {}) => {
    port += 1;
    const child = start(port);
    try {
      const url = `http://127.0.0.1:${port}${path}`;
      await waitForHttp(url);
      await load(url, 1);
      const before = cpu ? treeCpuUs(child.pid) : 0;
      const redisBefore = redisPid ? treeCpuUs(redisPid) : 0;
      const result = await load(url, seconds);
      const requests = result.rps * seconds;
      const cpuUs = cpu ? treeCpuUs(child.pid) - before : 0;
      const redisUs = redisPid ? treeCpuUs(redisPid) - redisBefore : 0;
      return { ...result, cpuPerRequestUs: cpu ? cpuUs / requests : undefined, redisPerRequestUs: redisPid ? redisUs / requests : undefined };
    } finally {
      child.kill('SIGTERM');
      await sleep(500);
    }
  };
  const interleave = async (servers, options) => {
    const results = Object.fromEntries(Object.keys(servers).map((name) => [name, []]));
    for (let round = 1; round <= rounds; round += 1) {
      for (const [name, start] of Object.entries(servers)) {
        const r = await measure(start, options);
        results[name].push(r);
        const cpu = r.cpuPerRequestUs === undefined ? '' : `, ${r.cpuPerRequestUs.toFixed(1)} µs CPU/request`;
        const redisCpu = r.redisPerRequestUs === undefined ? '' : ` (+ ${r.redisPerRequestUs.toFixed(1)} µs in Redis)`;
        console.error(
          `round ${round}/${rounds} ${name}: ${Math.round(r.rps)} req/s, p99 ${r.p99} ms${cpu}${redisCpu}${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}`,
        );
      }
    }
    return results;
  };
  const ratio = (results, a, b) => median(results[a].map((r, i) => r.rps / results[b][i].rps));
  const column = (runs, field) =>
    runs[0][field] === undefined
      ? ''
      : `${median(runs.map((r) => r[field]))
          .toFixed(1)
          .padStart(13)}`;
  const row = (name, runs) =>
    `${name.padEnd(44)}${String(Math.round(median(runs.map((r) => r.rps)))).padStart(10)}${String(median(runs.map((r) => r.p99))).padStart(9)}${column(runs, 'cpuPerRequestUs')}${column(runs, 'redisPerRequestUs')}`;

  if (process.env.BENCH_REDIS !== '0' && bench.hasRedis) {
    // Redis is part of the system under test: it runs on the server core, beside the server, so that the
    // load generator never takes turns with either (on the load core, Redis waited on it for whole time
    // slices, and both servers measured the load generator's scheduling more than themselves).
    const redis = await startRedis(bench.canPin ? bench.serverCore : undefined);
    try {
      const servers = {
        'mock on Redis': (p) =>
          pinned(process.execPath, [cli, 'mock', '--profile', 'reconlayer', '--port', String(p), '--limit', '1000000000', '--quiet', '--store', redis.url]),
        'fastify + @fastify/rate-limit on Redis': (p) => pinned(process.execPath, [`${root}bench/servers.mjs`, 'fastify-redis', String(p), redis.url]),
      };
      const results = await interleave(servers, { cpu: true, redisPid: redis.pid });
      lines.push(
        '',
        `${'shared budgets on one Redis'.padEnd(44)}${'req/s'.padStart(10)}${'p99 ms'.padStart(9)}${'CPU µs/req'.padStart(13)}${'Redis µs/req'.padStart(13)}`,
      );
      for (const [name, runs] of Object.entries(results)) lines.push(row(name, runs));
      lines.push(
        `mock on Redis vs fastify + @fastify/rate-limit on Redis: ${ratio(results, 'mock on Redis', 'fastify + @fastify/rate-limit on Redis').toFixed(2)}× median of per-round ratios (target ≥ 1.2)`,
      );
    } finally {
      redis.stop();
    }
  } else if (process.env.BENCH_REDIS !== '0') lines.push('', 'shared budgets on Redis: skipped (redis-server is not installed)');

  if (process.env.BENCH_WORKERS !== '0') {
    const mock = (extra) => (p) =>
      spawn(process.execPath, [cli, 'mock', '--profile', 'reconlayer', '--port', String(p), '--limit', '1000000000', '--quiet', ...extra], { stdio: 'ignore' });
    const servers = { 'mock, one process': mock([]), 'mock --workers 2 (budgets over IPC)': mock(['--workers', '2']) };
    const results = await interleave(servers, { cpu: true });
    lines.push(
      '',
      `${'every core (unpinned; 2 cores, one of them load)'.padEnd(44)}${'req/s'.padStart(10)}${'p99 ms'.padStart(9)}${'CPU µs/req'.padStart(13)}`,
    );
    for (const [name, runs] of Object.entries(results)) lines.push(row(name, runs));
    lines.push(
      `mock --workers 2 vs one process: ${ratio(results, 'mock --workers 2 (budgets over IPC)', 'mock, one process').toFixed(2)}× req/s (median of per-round ratios); CPU per request ${(
        median(results['mock --workers 2 (budgets over IPC)'].map((r) => r.cpuPerRequestUs)) /
          median(results['mock, one process'].map((r) => r.cpuPerRequestUs))
      ).toFixed(2)}× (the IPC cost)`,
    );
  }
  for (const line of lines) console.log(line);
}
