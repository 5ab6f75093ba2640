import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPrettyReport, runConformance } from '../src/conformance/index.js';
import { startAuthmatech } from './implementations/authmatech-express.js';
import { startReconlayer } from './implementations/reconlayer-fastify.js';

// Real-time smoke tests: independent implementations on well-known libraries, with short windows, must
// pass every check (no false alarms). These wait in real time, bounded by the window.

describe('ReconLayer on Fastify + @fastify/rate-limit (RATE_LIMIT_MAX=5, RATE_LIMIT_WINDOW=2s)', () => {
  let server: Awaited<ReturnType<typeof startReconlayer>>;
  beforeAll(async () => {
    server = await startReconlayer({ env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW: '2s' } });
  });
  afterAll(() => server.close());

  it('passes every check, in under 15 s', async () => {
    const report = await runConformance({ profile: 'reconlayer', target: server.url, limit: 5, window: '2s' });
    expect(report.clock).toBe('real');
    expect(report.results.filter((r) => r.status !== 'passed')).toEqual([]);
    expect(report.durationMs).toBeLessThan(15_000);
  }, 30_000);

  it('passes again when run right away, with every budget still spent by the first run', async () => {
    const report = await runConformance({ profile: 'reconlayer', target: server.url, limit: 5, window: '2s' });
    expect(
      report.results.filter((r) => r.status !== 'passed'),
      formatPrettyReport(report),
    ).toEqual([]);
  }, 30_000);
});

describe('Authmatech on Express + express-rate-limit (limit 5 per 2 s)', () => {
  let server: Awaited<ReturnType<typeof startAuthmatech>>;
  beforeAll(async () => {
    server = await startAuthmatech({ limit: 5, windowMs: 2_000 });
  });
  afterAll(() => server.close());

  it('passes every check', async () => {
    const report = await runConformance({ profile: 'authmatech', target: server.url, limit: 5, window: '2s' });
    expect(report.results.filter((r) => r.status !== 'passed')).toEqual([]);
    expect(report.durationMs).toBeLessThan(15_000);
  }, 30_000);

  it('passes again when run right away (no rate-limit headers tell the suite which budgets are spent)', async () => {
    const report = await runConformance({ profile: 'authmatech', target: server.url, limit: 5, window: '2s' });
    expect(
      report.results.filter((r) => r.status !== 'passed'),
      formatPrettyReport(report),
    ).toEqual([]);
  }, 30_000);
});
