import { afterAll, beforeAll, describe, it, vi } from 'vitest';
import { FAKE, interceptedApiCase, VALIDATING_CASES } from './intercepted-api-case.js';
import { runMultiLimitCases } from './multi-limit-cases.js';
import { type Backend, runRateLimitCases } from './rate-limit-cases.js';

// Runs on msw 2 (the dev dependency), and again in the vitest project `msw3` with `msw` aliased to msw 3,
// which needs Node ≥ 22.12 (see vitest.config.ts).
const major = process.env.RLC_MSW_MAJOR === '3' ? 3 : 2;
const [nodeMajor = 0, nodeMinor = 0] = process.versions.node.split('.').map(Number);
const unsupported =
  major === 3 && (nodeMajor < 22 || (nodeMajor === 22 && nodeMinor < 12)) ? `msw 3 needs Node ≥ 22.12, this is ${process.version}` : undefined;

if (unsupported) {
  describe(`MSW ${major}`, () => {
    it.skip(`every case (skipped: ${unsupported}; CI runs them on Node 24)`, () => undefined);
  });
} else {
  const { setupServer } = await import('msw/node');
  const { mockRateLimitedApi } = await import('../../src/msw/index.js');
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  /** The MSW helper: setupServer's interceptors in process, on fake timers moved by settle() and advanceTimersByTime. */
  const mswBackend: Backend = {
    name: `MSW ${major}`,
    skip: {
      ...VALIDATING_CASES,
      "an organization holds 1,000 keys: its 1,001st forgets its own oldest, not another organization's":
        '1,002 fetches through the interceptors on fake timers take about 10 s here; the engine and HTTP backends run the same store',
    },
    async start(options) {
      vi.useFakeTimers(FAKE);
      const api = await mockRateLimitedApi({ ...options, baseUrl: 'https://api.cases.test' });
      server.use(...api.handlers);
      return interceptedApiCase(api, 'https://api.cases.test', () => {
        server.resetHandlers();
        vi.useRealTimers();
      });
    },
  };
  runRateLimitCases(mswBackend);
  runMultiLimitCases(mswBackend);
}
