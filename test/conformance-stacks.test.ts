import { describe, it } from 'vitest';
import { formatPrettyReport, runConformance } from '../src/conformance/index.js';
import { startAuthmatech } from './implementations/authmatech-express.js';
import { startReconlayer } from './implementations/reconlayer-fastify.js';

// Real-time smoke tests: independent implementations on well-known libraries, with 2 s windows, must pass
// every check (no false alarms), also when the suite runs again right away and meets budgets the first run
// spent. They wait in real time, bounded by the window; the two run side by side.

describe.concurrent('independent implementations pass every check', () => {
  it('ReconLayer on Fastify + @fastify/rate-limit (RATE_LIMIT_MAX=5, RATE_LIMIT_WINDOW=2s), in under 15 s, twice', async ({ expect }) => {
    const server = await startReconlayer({ env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW: '2s' } });
    try {
      for (const run of ['first', 'second']) {
        const report = await runConformance({ profile: 'reconlayer', target: server.url, limit: 5, window: '2s' });
        expect(
          report.results.filter((r) => r.status !== 'passed'),
          `${run} run\n${formatPrettyReport(report)}`,
        ).toEqual([]);
        expect(report.clock).toBe('real');
        expect(report.durationMs).toBeLessThan(15_000);
      }
    } finally {
      await server.close();
    }
  }, 40_000);

  it('Authmatech on Express + express-rate-limit (limit 5 per 2 s), twice (no headers tell which budgets are spent)', async ({ expect }) => {
    const server = await startAuthmatech({ limit: 5, windowMs: 2_000 });
    try {
      for (const run of ['first', 'second']) {
        const report = await runConformance({ profile: 'authmatech', target: server.url, limit: 5, window: '2s' });
        expect(
          report.results.filter((r) => r.status !== 'passed'),
          `${run} run\n${formatPrettyReport(report)}`,
        ).toEqual([]);
        expect(report.durationMs).toBeLessThan(15_000);
      }
    } finally {
      await server.close();
    }
  }, 40_000);
});
