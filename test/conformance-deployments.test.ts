import { afterAll, beforeAll, describe, it } from 'vitest';
import { formatPrettyReport, runConformance } from '../src/conformance/index.js';
import type { BalancerMode } from './support/load-balancer.js';
import { startReconlayerDeployment, warmReplicaStart } from './support/reconlayer-deployment.js';
import { redisRequired, redisUnavailable } from './support/redis-server.js';

// Production shapes: two processes of the Fastify reference behind a small balancer, per connection (L4:
// raw TCP, as an NLB or a Kubernetes Service) or per request (L7: HTTP with X-Forwarded-For). Sharing one
// Redis (Debian's redis-server, started here on a free port, without persistence), the deployment is
// correct and must pass every check, three runs in a row. Counting in each process's memory, it grants
// 2 × the limit, and the suite must say so with budget-shared-across-connections, naming independent
// counters, and let no later check blame anything else.

const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 3);
const env = { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW: '2s' };
const verify = (url: string) => runConformance({ profile: 'reconlayer', target: url, limit: 5, window: '2s' });
const modes: BalancerMode[] = ['l4', 'l7'];

const timings: string[] = [];
afterAll(() => {
  for (const line of timings) console.info(line);
});
// The first replica process transpiles the TypeScript reference once; the others start from the cache.
beforeAll(() => warmReplicaStart(), 90_000);

describe.concurrent(`two Fastify replicas sharing Redis pass every check, ${RUNS} runs in a row`, () => {
  it.for(modes)('behind an %s balancer', { timeout: 60_000 + 30_000 * RUNS }, async (mode, { expect, skip }) => {
    if (redisUnavailable && redisRequired) throw new Error(`${redisUnavailable}; REQUIRE_REDIS=1 forbids skipping the Redis tests`);
    if (redisUnavailable) skip(redisUnavailable);
    const deployment = await startReconlayerDeployment({ mode, store: 'redis', env });
    try {
      const durations: string[] = [];
      for (let run = 1; run <= RUNS; run += 1) {
        const report = await verify(deployment.url);
        expect(
          report.results.filter((r) => r.status !== 'passed'),
          `run ${run} of ${RUNS}\n${formatPrettyReport(report)}`,
        ).toEqual([]);
        durations.push(`${(report.durationMs / 1000).toFixed(1)} s`);
      }
      timings.push(`[deployments] 2 Fastify replicas + Redis behind ${mode}: ${RUNS} runs, 0 false alarms, ${durations.join(' / ')}`);
    } finally {
      await deployment.close();
    }
  });
});

describe.concurrent('two Fastify replicas, each counting in its own memory, fail budget-shared-across-connections', () => {
  it.for(modes)('behind an %s balancer', { timeout: 90_000 }, async (mode, { expect }) => {
    const deployment = await startReconlayerDeployment({ mode, store: 'memory', env });
    try {
      const report = await verify(deployment.url);
      const shown = formatPrettyReport(report);
      const shared = report.results.find((r) => r.id === 'reconlayer/budget-shared-across-connections');
      expect(shared?.status, shown).toBe('failed');
      expect(shared?.failure?.summary).toMatch(/10 requests of \S+ were allowed in one window .*= 2 × the limit: independent counters\?/);
      expect(shared?.failure?.summary).toMatch(/x-ratelimit-remaining repeats \(\d, \d, /);
      // Nothing else blames the wrong thing: every other failure is the limit seen on one connection (L7),
      // or blocked by the check that explains it.
      const others = report.results.filter((r) => r.status === 'failed' && r.id !== shared?.id);
      for (const other of others) expect(other.id, shown).toBe('reconlayer/429-after-exactly-max');
      for (const blocked of report.results.filter((r) => r.status === 'blocked')) {
        expect(['reconlayer/budget-shared-across-connections', 'reconlayer/429-after-exactly-max'], shown).toContain(blocked.blockedBy);
      }
      // Today's misdiagnosis ("each credential has a budget of its own") must not be a failure of its own.
      expect(report.results.find((r) => r.id === 'reconlayer/org-keys-share-budget')?.status, shown).not.toBe('failed');
      if (mode === 'l4') expect(others, `behind L4 one keep-alive connection sticks to one replica\n${shown}`).toEqual([]);
    } finally {
      await deployment.close();
    }
  });
});

describe('two Fastify replicas sharing Redis through a store that reads, then writes, the count', () => {
  it('fail budget-shared-across-connections on the concurrent burst, naming the two-step store', { timeout: 90_000 }, async ({ expect, skip }) => {
    if (redisUnavailable && redisRequired) throw new Error(`${redisUnavailable}; REQUIRE_REDIS=1 forbids skipping the Redis tests`);
    if (redisUnavailable) skip(redisUnavailable);
    const deployment = await startReconlayerDeployment({ mode: 'l7', store: 'redis', env, defect: 'store-reads-then-writes' });
    try {
      const report = await verify(deployment.url);
      const shared = report.results.find((r) => r.id === 'reconlayer/budget-shared-across-connections');
      expect(shared?.status, formatPrettyReport(report)).toBe('failed');
      expect(shared?.failure?.summary).toMatch(
        /the concurrent burst got \d of 6 through while requests one at a time stop at the limit: the store reads and writes the count in two steps/,
      );
    } finally {
      await deployment.close();
    }
  });
});
