import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawRequest } from './support/raw-request.js';
import { describeWithRedis, type RedisServer, startRedis } from './support/redis-server.js';
import { runCli, startCliMock } from './support/run-cli.js';

// The CLI's face of shared budgets: --help, the banner's store and workers lines, and a --workers mock that
// stops every worker on SIGTERM. Errors are in the bad-config corpus (shared store, issue 12).

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('mock --help lists --store, --store-prefix, --store-fault, --workers and RATE_LIMIT_STORE', async () => {
  const result = await runCli(['mock', '--help']);
  expect(result.code).toBe(0);
  for (const flag of ['--store <url>', '--store-prefix <p>', '--store-fault <mode>', '--workers <n|auto>', 'RATE_LIMIT_STORE'])
    expect(result.stdout).toContain(flag);
});

it('the banner says budgets live in this process by default', async () => {
  const { child, output } = await startCliMock(['--port', '0']);
  try {
    expect(output()).toMatch(/^ {2}store {7}memory \(this process; --store redis:\/\/host:port to share budgets between replicas\)$/m);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

it('--workers 2 serves one port from two processes with one budget, says so, and SIGTERM stops them all', async () => {
  const cluster = await startCliMock(['--port', '0', '--limit', '3', '--workers', '2']);
  const pids = (/workers {5}2 processes on one port \(node:cluster; pids (\d+), (\d+)\)/.exec(cluster.output()) ?? []).slice(1).map(Number);
  try {
    expect(pids).toHaveLength(2);
    expect(cluster.output()).toMatch(/^ {2}store {7}the primary process's memory, shared by its workers over IPC$/m);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await rawRequest(cluster.url, { path: '/v1/payment-intents', headers: { authorization: 'Bearer rl_test_acme_primary' } })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  } finally {
    const exited = once(cluster.child, 'exit');
    cluster.child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
  }
  expect(cluster.output()).toMatch(/received SIGTERM: stopping 2 workers/);
  expect(pids.filter(alive)).toEqual([]);
});

it('--workers 2: a worker that dies is replaced and the budget it shared survives; the ready file names the port; a killed primary takes its workers along', async () => {
  const readyFile = join(mkdtempSync(join(tmpdir(), 'rlc-workers-')), 'url');
  const cluster = await startCliMock(['--port', '0', '--limit', '4', '--workers', '2', '--ready-file', readyFile]);
  const pids = (/pids (\d+), (\d+)\)/.exec(cluster.output()) ?? []).slice(1).map(Number);
  const get = () => rawRequest(cluster.url, { path: '/v1/payment-intents', headers: { authorization: 'Bearer rl_test_acme_primary' } });
  try {
    expect(readFileSync(readyFile, 'utf8')).toBe(`${cluster.url}\n`);
    expect((await get()).headers['x-ratelimit-remaining']).toBe('3');
    process.kill(pids[0] as number, 'SIGKILL');
    // The primary says so and starts another; the port keeps answering from the budget the primary holds.
    for (let i = 0; i < 200 && !/worker \d \(pid \d+\) exited with SIGKILL; starting another/.test(cluster.output()); i += 1) await sleep(50);
    expect(cluster.output()).toMatch(/worker \d \(pid \d+\) exited with SIGKILL; starting another/);
    const after = await Promise.all([get(), get(), get(), get()]);
    expect(after.map((r) => r.status).sort()).toEqual([200, 200, 200, 429]);
  } finally {
    const workers = () =>
      execFileSync('pgrep', ['-P', String(cluster.child.pid)], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map(Number);
    const live = workers();
    expect(live).toHaveLength(2);
    cluster.child.kill('SIGKILL');
    // Orphaned workers notice their primary is gone and exit: nothing outlives it.
    for (let i = 0; i < 200 && live.some(alive); i += 1) await sleep(50);
    expect(live.filter(alive)).toEqual([]);
  }
});

describeWithRedis('the banner on Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
  });

  it('names the Redis store from RATE_LIMIT_STORE, with its prefix; the password never shows', async () => {
    const { child, output } = await startCliMock(['--port', '0'], { RATE_LIMIT_STORE: redis.url.replace('redis://', 'redis://:hunter2@') });
    try {
      expect(output()).toMatch(new RegExp(`^ {2}store {7}redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}/0 \\(prefix rlc:\\)$`, 'm'));
      expect(output()).not.toContain('hunter2');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
