import nock from 'nock';
import { afterAll, beforeAll, vi } from 'vitest';
import { mockRateLimitedApi } from '../../src/nock/index.js';
import { FAKE, interceptedApiCase, VALIDATING_CASES } from './intercepted-api-case.js';
import { runMultiLimitCases } from './multi-limit-cases.js';
import { type Backend, runRateLimitCases } from './rate-limit-cases.js';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

/** The nock helper: fetch intercepted in process, on fake timers moved by settle() and advanceTimersByTime. */
const nockBackend: Backend = {
  name: 'nock',
  skip: {
    ...VALIDATING_CASES,
    "an organization holds 1,000 keys: its 1,001st forgets its own oldest, not another organization's":
      '1,002 fetches through the interceptors on fake timers take about 10 s here; the engine and HTTP backends run the same store',
  },
  async start(options) {
    vi.useFakeTimers(FAKE);
    const api = await mockRateLimitedApi({ ...options, baseUrl: 'https://api.cases.test' });
    return interceptedApiCase(api, 'https://api.cases.test', () => vi.useRealTimers());
  },
};

runRateLimitCases(nockBackend);
runMultiLimitCases(nockBackend);
