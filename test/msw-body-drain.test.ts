import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createBackoffFetch, createRetryAfterFetch, findRetryViolations } from '../src/client/index.js';

// The reference clients free a 429's body before they wait. They used to cancel it, and behind msw 2
// (@mswjs/interceptors 0.41) `response.body.cancel()` on a mocked body never settles
// (mswjs/interceptors#799): the client hung there. They now read the body. This file runs on msw 2 (the dev
// dependency), and again in the vitest project `msw3` with `msw` aliased to msw 3 (Node ≥ 22.12).
const major = process.env.RLC_MSW_MAJOR === '3' ? 3 : 2;
const [nodeMajor = 0, nodeMinor = 0] = process.versions.node.split('.').map(Number);
const unsupported =
  major === 3 && (nodeMajor < 22 || (nodeMajor === 22 && nodeMinor < 12)) ? `msw 3 needs Node ≥ 22.12, this is ${process.version}` : undefined;

const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] } satisfies Parameters<typeof vi.useFakeTimers>[0];
const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const ALPHA = { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key' };

if (unsupported) {
  describe(`MSW ${major}`, () => {
    test.skip(`reference clients behind msw (skipped: ${unsupported}; CI runs them on Node 24)`, () => undefined);
  });
} else {
  const { setupServer } = await import('msw/node');
  const { mockRateLimitedApi, rateLimited, passThrough } = await import('../src/msw/index.js');
  const recon = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: 'https://drain.reconlayer.test' });
  const auth = await mockRateLimitedApi({ profile: 'authmatech', baseUrl: 'https://drain.authmatech.test' });
  const server = setupServer(...recon.handlers, ...auth.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(async () => {
    server.close();
    await recon.restore();
    await auth.restore();
  });

  describe(`MSW ${major}: the reference clients read a 429's body instead of cancelling it`, () => {
    test('createRetryAfterFetch waits out a spent ReconLayer window and gets its 200', async () => {
      vi.useFakeTimers(FAKE);
      try {
        await recon.exhaust(ACME);
        const res = await recon.settle(createRetryAfterFetch()(`${recon.baseUrl}/v1/payment-intents`, { headers: ACME }), vi);
        expect(res.status).toBe(200);
        expect(recon.attempts.map((a) => a.status)).toEqual([429, 200]);
        expect(findRetryViolations(recon.attempts, 'reconlayer')).toEqual([]);
      } finally {
        vi.useRealTimers();
        await recon.reset();
      }
    });

    test('createBackoffFetch backs off through three Authmatech 429s and gets its 200', async () => {
      vi.useFakeTimers(FAKE);
      try {
        auth.script('*', [rateLimited(3), passThrough()]);
        const res = await auth.settle(createBackoffFetch()(`${auth.baseUrl}/v1/api/identity/sessions/ses_1`, { headers: ALPHA }), vi);
        expect(res.status).toBe(200);
        expect(auth.attempts.map((a) => a.status)).toEqual([429, 429, 429, 200]);
        expect(findRetryViolations(auth.attempts, 'authmatech')).toEqual([]);
      } finally {
        vi.useRealTimers();
        await auth.reset();
      }
    });
  });
}
