import nock from 'nock';
import { afterAll, beforeAll, vi } from 'vitest';
import { mockRateLimitedApi } from '../../src/nock/index.js';
import { FAKE, interceptedApiCase, VALIDATING_CASES } from './intercepted-api-case.js';
import { type Backend, runRateLimitCases } from './rate-limit-cases.js';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

/** The nock helper: fetch intercepted in process, on fake timers moved by settle() and advanceTimersByTime. */
const nockBackend: Backend = {
  name: 'nock',
  skip: VALIDATING_CASES,
  async start(options) {
    vi.useFakeTimers(FAKE);
    const api = await mockRateLimitedApi({ ...options, baseUrl: 'https://api.cases.test' });
    return interceptedApiCase(api, 'https://api.cases.test', () => vi.useRealTimers());
  },
};

runRateLimitCases(nockBackend);
