import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { mockRateLimitedApi, type RateLimitedApi } from '../../src/nock/index.js';

/** Fake timers and Date only: faking setImmediate or nextTick hangs nock. */
export const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] } satisfies Parameters<typeof vi.useFakeTimers>[0];
export const RECON = 'https://api.reconlayer.test';
export const AUTH = 'https://api.authmatech.test';

/**
 * Registers the hooks that put both profiles behind nock for a test file, on fake timers per test,
 * with budgets, attempts and scripts forgotten after each test. Read `recon` and `auth` inside tests.
 */
export function useNockedProfiles(): { readonly recon: RateLimitedApi; readonly auth: RateLimitedApi } {
  const apis: { recon?: RateLimitedApi; auth?: RateLimitedApi } = {};
  beforeAll(async () => {
    nock.disableNetConnect();
    apis.recon = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: RECON });
    apis.auth = await mockRateLimitedApi({ profile: 'authmatech', baseUrl: AUTH });
  });
  beforeEach(() => {
    vi.useFakeTimers(FAKE);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await apis.recon?.reset();
    await apis.auth?.reset();
  });
  afterAll(async () => {
    await apis.recon?.restore();
    await apis.auth?.restore();
    nock.enableNetConnect();
  });
  const ready = (api: RateLimitedApi | undefined, name: string) => {
    if (!api) throw new Error(`${name} is read before beforeAll ran`);
    return api;
  };
  return {
    get recon() {
      return ready(apis.recon, 'recon');
    },
    get auth() {
      return ready(apis.auth, 'auth');
    },
  };
}
