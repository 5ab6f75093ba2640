import { type HttpHandler, http } from 'msw';
import { parseBaseUrl } from '../engine/base-url.js';
import type { Engine } from '../engine/create-engine.js';
import { createInterceptedApi, type RateLimitedApi } from '../engine/intercepted-api.js';

/** The MSW helper's API: the nock helper's members, plus the request handlers to give to msw. */
export interface MswRateLimitedApi extends RateLimitedApi {
  /** Request handlers for `setupServer(...api.handlers)` (node) or `setupWorker(...api.handlers)` (a browser). */
  readonly handlers: HttpHandler[];
}

/** Where the API lives and who calls it when a request resolves to no credential. */
export interface MswPlacement {
  /** The origin (and optional base path) clients call, e.g. `https://api.reconlayer.test`. */
  baseUrl: string;
  /** The IP that unresolved credentials fall back to. Default 127.0.0.1. */
  clientIp?: string;
  /** Warn when a client call looks parked behind fake timers nothing advances (a forgotten `settle()`), after this many real ms. Default 1000; `false`: never. */
  warnUnsettledAfterMs?: number | false;
}

/** Statuses whose responses carry no body (fetch refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function toHeaders(flat: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < flat.length; i += 2) headers.append(flat[i] as string, flat[i + 1] as string);
  return headers;
}

/**
 * Puts an engine behind one msw handler for the base URL: every method, every path below it; requests
 * outside it fall through to the next handler. As msw's own handlers do, it only turns the `Request` into
 * an engine call and the reply into a `Response`: the engine decides.
 */
export function handlersFor(engine: Engine, placement: MswPlacement): MswRateLimitedApi {
  const base = parseBaseUrl(placement.baseUrl, 'msw');
  const { api, answer } = createInterceptedApi(engine, base, { ...placement, restore: () => undefined });
  const handler = http.all(
    ({ request }) => base.pathOf(new URL(request.url)) !== undefined,
    async ({ request }) => {
      const answered = await answer(request);
      if (!answered) return undefined;
      const body = NULL_BODY.has(answered.status) || answered.body === '' ? null : answered.body;
      return new Response(body, { status: answered.status, headers: toHeaders(answered.headers) });
    },
  );
  return Object.assign(api, { handlers: [handler] });
}
