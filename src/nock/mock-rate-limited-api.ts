import nock from 'nock';
import { parseBaseUrl } from '../engine/base-url.js';
import { type InterceptedApiOptions, requireApiChoice } from '../engine/engine-options.js';
import { createInterceptedApi, type RateLimitedApi } from '../engine/intercepted-api.js';
import { loadEngine } from '../engine/load-engine.js';

export type { RateLimitedApi } from '../engine/intercepted-api.js';

/** Which API to model and how: the mock's options that make sense in process. */
export type ApiModelOptions = InterceptedApiOptions;

/** Options of `mockRateLimitedApi`: the API (profile or spec, with the mock's overrides) and where it lives. */
export interface MockRateLimitedApiOptions extends ApiModelOptions {
  /** The origin (and optional base path) clients call, e.g. `https://api.reconlayer.test`. */
  baseUrl: string;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Puts a profile's whole rate-limit behaviour behind nock for one base URL: per-key budgets on the
 * `Date.now()` clock, the profile's 429 headers and body, exempt paths left alone, scripted sequences,
 * and an attempt log for `assertRetryLog`. The answers come from the engine the mock server runs.
 * @example const api = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: 'https://api.reconlayer.test' });
 */
export async function mockRateLimitedApi(options: MockRateLimitedApiOptions): Promise<RateLimitedApi> {
  const base = parseBaseUrl(options.baseUrl, 'nock');
  requireApiChoice(options);
  const { engine } = await loadEngine({ ...options, env: options.env ?? {} });
  const scope = nock(base.origin).persist();
  const inScope = (uri: string) => base.pathOf(new URL(uri, base.origin)) !== undefined;
  const interceptors = METHODS.map((method) => scope.intercept(inScope, method).optionally());
  const { api, answer } = createInterceptedApi(engine, base, {
    baseUrl: options.baseUrl,
    clientIp: options.clientIp,
    warnUnsettledAfterMs: options.warnUnsettledAfterMs,
    restore: () => {
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
    },
  });
  for (const interceptor of interceptors) {
    interceptor.reply(async (request: Request): Promise<[number, string, string[]]> => {
      const answered = await answer(request);
      // nock only calls this for paths inScope accepted, which answer() accepts too.
      if (!answered) throw new Error(`Failed to answer ${request.url}: it is outside ${options.baseUrl}.`);
      return [answered.status, answered.body, answered.headers];
    });
  }
  return api;
}
