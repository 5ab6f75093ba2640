import { afterAll, describe, it } from 'vitest';
import { type ConformanceReport, formatPrettyReport, runConformance } from '../src/conformance/index.js';
import { startAuthmatech } from './implementations/authmatech-express.js';
import { startAuthmatechNest } from './implementations/nest/authmatech-nest.js';
import { startReconlayerExpress } from './implementations/reconlayer-express-flexible.js';
import { startReconlayer } from './implementations/reconlayer-fastify.js';
import { startReconlayerHono } from './implementations/reconlayer-hono.js';
import { startReconlayerKoa } from './implementations/reconlayer-koa.js';

// No false alarms: correct servers written from each library's own docs, as a user would write them
// (ordinary routers: a /docs/* wildcard, express.static, a catch-all 404; the libraries' defaults kept),
// must pass every check, three runs in a row (each run meets the budgets the previous one spent), with
// 2 s windows, side by side (the load is part of the test: real-time checks must survive scheduling noise).
// CONFORMANCE_RUNS=n changes the number of runs.

const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 3);
const ENV = { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW: '2s' };

type Server = { url: string; close(): Promise<void> };
const stacks: Array<[string, 'reconlayer' | 'authmatech', () => Promise<Server>]> = [
  ['ReconLayer on Fastify + @fastify/rate-limit', 'reconlayer', () => startReconlayer({ env: ENV })],
  ['ReconLayer on Express 5 + rate-limiter-flexible', 'reconlayer', () => startReconlayerExpress({ env: ENV })],
  ['ReconLayer on Koa + koa-ratelimit + @koa/router', 'reconlayer', () => startReconlayerKoa({ env: ENV })],
  ['ReconLayer on Hono + hono-rate-limiter (@hono/node-server)', 'reconlayer', () => startReconlayerHono({ env: ENV })],
  ['Authmatech on Express 5 + express-rate-limit', 'authmatech', () => startAuthmatech({ limit: 5, windowMs: 2_000 })],
  ['Authmatech on NestJS + @nestjs/throttler', 'authmatech', () => startAuthmatechNest({ limit: 5, windowMs: 2_000 })],
];

const timings: string[] = [];
afterAll(() => {
  // Wall time is measured, never asserted: one line per stack for the record.
  for (const line of timings) console.info(line);
});

/** Runs the suite `RUNS` times in a row against one server and returns each report. */
async function consecutiveRuns(profile: string, url: string, runs = RUNS): Promise<ConformanceReport[]> {
  const reports: ConformanceReport[] = [];
  for (let run = 0; run < runs; run += 1) reports.push(await runConformance({ profile, target: url, limit: 5, window: '2s' }));
  return reports;
}

describe.concurrent(`correct servers on every stack pass every check, ${RUNS} runs in a row (2 s windows)`, () => {
  it.for(stacks)('%s', { timeout: 30_000 * RUNS }, async ([name, profile, start], { expect }) => {
    const server = await start();
    try {
      const reports = await consecutiveRuns(profile, server.url);
      for (const [run, report] of reports.entries()) {
        expect(report.clock).toBe('real');
        expect(
          report.results.filter((r) => r.status !== 'passed'),
          `run ${run + 1} of ${RUNS}\n${formatPrettyReport(report)}`,
        ).toEqual([]);
      }
      timings.push(`[stacks] ${name}: ${reports.length} runs, 0 false alarms, ${reports.map((r) => `${(r.durationMs / 1000).toFixed(1)} s`).join(' / ')}`);
    } finally {
      await server.close();
    }
  });
});
