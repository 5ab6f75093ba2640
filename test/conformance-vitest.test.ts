import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { describeRateLimitConformance } from '../src/vitest/index.js';
import { createAuthmatechApp } from './implementations/authmatech-express.js';
import { createReconlayerApp } from './implementations/reconlayer-fastify.js';

// The vitest front end over in-process targets (through supertest): an Express app passed as is, and a
// Fastify server handed over by a function once it is ready. Real time, 1 s windows. The Express block also
// writes its HTML report (htmlReport), read back once every block has run.

const htmlReport = join(mkdtempSync(join(tmpdir(), 'rlc-vitest-html-')), 'authmatech.html');

describeRateLimitConformance({
  name: 'Authmatech as an in-process Express app',
  profile: 'authmatech',
  target: createAuthmatechApp({ limit: 3, windowMs: 1_000 }),
  limit: 3,
  window: '1s',
  htmlReport,
});

afterAll(() => {
  const html = readFileSync(htmlReport, 'utf8');
  expect(html).toContain('<h1>Rate-limit conformance: authmatech</h1>');
  expect(html.match(/<article class="check passed"/g)).toHaveLength(10);
  // Authmatech promises no rate-limit headers: its charts show allowed and rejected requests in two lanes.
  expect(html).toContain('Allowed and rejected requests over time: authmatech/429-after-exactly-limit');
});

const fastify = await createReconlayerApp({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '1s' } });
afterAll(() => fastify.close());

describeRateLimitConformance({
  name: 'ReconLayer as an in-process Fastify server',
  profile: 'reconlayer',
  target: async () => {
    await fastify.ready();
    return fastify.server;
  },
  limit: 3,
  window: '1s',
  skip: { 'reconlayer/429-is-json': 'shows a skip with its reason; the URL-target runs cover this check' },
});
