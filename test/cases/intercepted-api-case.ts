import { vi } from 'vitest';
import type { RateLimitedApi } from '../../src/engine/intercepted-api.js';
import type { CaseApi } from './rate-limit-cases.js';

/** Fake only timers and Date: faking setImmediate or nextTick hangs nock (and stalls msw's interceptors). */
export const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] } satisfies Parameters<typeof vi.useFakeTimers>[0];

const NO_VALIDATE = 'the nock and MSW helpers take no validate option (request validation is the mock’s --validate)';
/** Cases the in-process helpers skip: they validate no requests. */
export const VALIDATING_CASES: Record<string, string> = {
  'Authmatech, validating: a request that breaks the spec gets the operation’s 400 envelope; the violations are in x-mock-reason': NO_VALIDATE,
  'a spec of its own, validating: its 4XX answers a bad body (400) and a violation (422)': NO_VALIDATE,
};

/** A case API over the nock or MSW helper: fetch through the interceptors, time on vitest's fake timers. */
export function interceptedApiCase(api: RateLimitedApi, baseUrl: string, stop: () => void): CaseApi {
  return {
    async send(request) {
      const init = { method: request.method ?? 'GET', headers: request.headers, body: request.body };
      const res = await api.settle(fetch(`${baseUrl}${request.path}`, init), vi);
      const last = api.attempts.at(-1);
      return {
        status: res.status,
        headers: Object.fromEntries(res.headers),
        text: await res.text(),
        latencyMs: last === undefined ? undefined : last.respondedAtMs - last.atMs,
      };
    },
    async script(match, steps) {
      api.script(match, steps);
    },
    async advance(ms) {
      vi.advanceTimersByTime(ms);
    },
    async close() {
      await api.restore();
      stop();
    },
  };
}
