import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa, { type Context, type Next } from 'koa';
import ratelimit from 'koa-ratelimit';
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

/** Defects a broken variant switches on; none gives the correct app. */
export type ReconlayerKoaDefect =
  /** The allow-list compared with ctx.url, which keeps the query string: `/health?probe=1` is limited. */
  'whitelist-on-url-with-query';

/**
 * ReconLayer on Koa 3 with koa-ratelimit (memory driver, a Map as its README shows) and @koa/router 15:
 * the limiter keyed by the organization (else ctx.ip), koa-ratelimit's headers renamed to x-ratelimit-*,
 * the allow-list as its `whitelist`, a `/docs{/*page}` wildcard route, and a JSON 404 for everything else.
 * koa-ratelimit sends the reset as an epoch and a plain-text 429, and the doc wants seconds and Fastify's
 * JSON body, so an outer middleware words them as the doc does.
 */
export function createReconlayerKoaApp(options: { env?: ReconlayerEnv; defect?: ReconlayerKoaDefect } = {}): Koa {
  const { max, windowMs } = readEnv(options.env);
  const organizations = loadOrganizations();
  const org = (ctx: Context) => organizationOf(organizations, ctx.get('authorization') || undefined);

  const app = new Koa();
  app.use(async (ctx: Context, next: Next) => {
    await next();
    const reset = Number(ctx.response.get('x-ratelimit-reset'));
    if (!reset) return;
    // koa-ratelimit's reset is epoch seconds with microseconds; Date.now() has milliseconds: compare in whole ms.
    const seconds = Math.max(0, Math.ceil(Math.round(reset * 1000 - Date.now()) / 1000));
    ctx.set('x-ratelimit-reset', String(seconds));
    if (ctx.status === 429) {
      ctx.set('retry-after', String(seconds));
      ctx.body = tooManyRequests(seconds);
    }
  });
  app.use(
    ratelimit({
      driver: 'memory',
      db: new Map(),
      duration: windowMs,
      max,
      id: (ctx) => org(ctx) ?? ctx.ip,
      headers: { remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', total: 'x-ratelimit-limit' },
      whitelist: (ctx) => (options.defect === 'whitelist-on-url-with-query' ? isPublicPath(ctx.url) : isPublicPath(ctx.path)),
    }),
  );

  const router = new Router();
  const requireOrg = async (ctx: Context, next: Next) => {
    if (org(ctx)) return next();
    ctx.status = 401;
    ctx.body = unauthorized;
  };
  router.get('/v1/payment-intents', requireOrg, (ctx) => {
    ctx.body = paymentIntentPage(org(ctx) ?? '');
  });
  router.post('/v1/payment-intents', requireOrg, (ctx) => {
    ctx.status = 201;
    ctx.body = paymentIntent(org(ctx) ?? '');
  });
  router.get('/v1/payment-intents/:id', requireOrg, (ctx) => {
    ctx.body = paymentIntent(org(ctx) ?? '');
  });
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/openapi.json', (ctx) => {
    ctx.body = openapiJson;
  });
  router.get('/openapi.yaml', (ctx) => {
    ctx.type = 'application/yaml';
    ctx.body = openapiYaml;
  });
  router.get('/docs{/*page}', (ctx) => {
    ctx.type = 'text/html';
    ctx.body = docsPage('ReconLayer API docs');
  });
  router.post('/webhooks/:provider', (ctx) => {
    ctx.status = 202;
    ctx.body = { received: true };
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = notFound(ctx.method, ctx.url);
  });
  return app;
}

/** Starts the app on 127.0.0.1 and a free port. */
export async function startReconlayerKoa(options: Parameters<typeof createReconlayerKoaApp>[0] = {}): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(createReconlayerKoaApp(options).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
