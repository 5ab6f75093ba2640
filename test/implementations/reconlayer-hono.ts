import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import {
  docsPage,
  isPublicPath,
  loadOrganizations,
  notFound,
  openapiJson,
  openapiYaml,
  organizationOf,
  paymentIntent,
  paymentIntentPage,
  type ReconlayerEnv,
  readEnv,
  tooManyRequests,
  unauthorized,
} from './reconlayer-fixtures.js';

/** What the limiter leaves on the context (hono-rate-limiter's `requestPropertyName`, `rateLimit`). */
interface RateLimitInfo {
  limit: number;
  remaining: number;
  resetTime?: Date;
}

type Env = { Variables: { rateLimit: RateLimitInfo } };
const infoOf = (c: Context): RateLimitInfo | undefined => (c as unknown as Context<Env>).get('rateLimit');

const secondsUntil = (reset: Date | undefined) => Math.max(0, Math.ceil(((reset?.getTime() ?? Date.now()) - Date.now()) / 1000));

/**
 * ReconLayer on Hono 4 with hono-rate-limiter (its MemoryStore) on @hono/node-server, as the library's
 * docs show: `rateLimiter({ windowMs, limit, keyGenerator, skip, handler })` on every route, keyed by the
 * organization (else the client address from getConnInfo), the allow-list as `skip`. Its standard headers
 * are RateLimit-*; the doc names x-ratelimit-*, so a middleware sets those from the info the limiter
 * leaves on the context, and the handler answers the documented 429.
 */
export function createReconlayerHonoApp(options: { env?: ReconlayerEnv } = {}): Hono<Env> {
  const { max, windowMs } = readEnv(options.env);
  const organizations = loadOrganizations();
  const org = (c: Context) => organizationOf(organizations, c.req.header('authorization'));
  const app = new Hono<Env>();
  const budgetHeaders = (c: Context, info: RateLimitInfo) => {
    c.header('x-ratelimit-limit', String(info.limit));
    c.header('x-ratelimit-remaining', String(info.remaining));
    c.header('x-ratelimit-reset', String(secondsUntil(info.resetTime)));
  };

  app.use(
    rateLimiter({
      windowMs,
      limit: max,
      standardHeaders: false,
      keyGenerator: (c) => org(c) ?? getConnInfo(c).remote.address ?? 'unknown',
      skip: (c) => isPublicPath(c.req.path),
      handler: (c) => {
        const info = infoOf(c) as RateLimitInfo;
        budgetHeaders(c, info);
        const seconds = secondsUntil(info.resetTime);
        c.header('retry-after', String(seconds));
        return c.json(tooManyRequests(seconds), 429);
      },
    }),
  );
  app.use(async (c, next) => {
    const info = infoOf(c);
    if (info) budgetHeaders(c, info);
    await next();
  });

  app.get('/v1/payment-intents', (c) => (org(c) ? c.json(paymentIntentPage(org(c) ?? '')) : c.json(unauthorized, 401)));
  app.post('/v1/payment-intents', (c) => (org(c) ? c.json(paymentIntent(org(c) ?? ''), 201) : c.json(unauthorized, 401)));
  app.get('/v1/payment-intents/:id', (c) => (org(c) ? c.json(paymentIntent(org(c) ?? '')) : c.json(unauthorized, 401)));
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/openapi.json', (c) => c.json(openapiJson));
  app.get('/openapi.yaml', (c) => c.body(openapiYaml, 200, { 'content-type': 'application/yaml' }));
  app.get('/docs', (c) => c.html(docsPage('ReconLayer API docs')));
  app.get('/docs/*', (c) => c.html(docsPage('ReconLayer API docs')));
  app.post('/webhooks/:provider', (c) => c.json({ received: true }, 202));
  app.notFound((c) => c.json(notFound(c.req.method, c.req.path), 404));
  return app;
}

/** Starts the app with @hono/node-server on 127.0.0.1 and a free port. */
export async function startReconlayerHono(options: Parameters<typeof createReconlayerHonoApp>[0] = {}): Promise<{ url: string; close(): Promise<void> }> {
  const app = createReconlayerHonoApp(options);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
