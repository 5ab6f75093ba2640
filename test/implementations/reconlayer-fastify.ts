import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
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
  RECONLAYER_CREDENTIALS,
  type ReconlayerEnv,
  readEnv,
  unauthorized,
} from './reconlayer-fixtures.js';

/**
 * Defects a broken variant switches on, each named for what it gets wrong. The correct implementation
 * is this same code with none of them.
 */
export const RECONLAYER_DEFECTS = [
  'counts-from-zero',
  'missing-retry-after',
  'retry-after-in-ms',
  'retry-after-one-second-short',
  'retry-after-is-window',
  'reset-is-window',
  'no-limit-header-on-429',
  'reset-as-epoch',
  'message-without-duration',
  'body-has-code-field',
  'ignores-rate-limit-window',
  'keyed-by-ip-only',
  'per-key-not-per-org',
  'unknown-key-own-budget',
  'docs-subpages-limited',
  'exempt-sends-headers',
  'exempt-spends-budget',
  'exempt-matched-on-url-with-query',
  'exempt-substring-match',
  'exempt-prefix-behind-normalizing-proxy',
  'continue-exceeding',
  'store-reads-then-writes',
] as const;
export type ReconlayerDefect = (typeof RECONLAYER_DEFECTS)[number];

export interface ReconlayerOptions {
  /** The deployment's environment: RATE_LIMIT_MAX (default 300) and RATE_LIMIT_WINDOW (default 1 minute). */
  env?: ReconlayerEnv;
  credentialsFile?: string;
  defect?: ReconlayerDefect;
  /** A shared Redis (ioredis) for the counters, as @fastify/rate-limit's README shows for several servers; in memory by default. */
  redis?: Redis;
  /** Behind a balancer that sets X-Forwarded-For (Fastify's trustProxy). */
  trustProxy?: boolean;
}

type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** A fixed-window store that reports one hit too few: the classic off-by-one. */
class CountsFromZeroStore {
  private readonly hits = new Map<string, { count: number; startMs: number }>();
  incr(key: string, cb: IncrCallback, timeWindow = 60_000) {
    const now = Date.now();
    let entry = this.hits.get(key);
    if (!entry || entry.startMs + timeWindow <= now) entry = { count: 0, startMs: now };
    entry.count += 1;
    this.hits.set(key, entry);
    cb(null, { current: entry.count - 1, ttl: entry.startMs + timeWindow - now });
  }
  child() {
    return new CountsFromZeroStore();
  }
}

/**
 * A shared store that reads the count, then writes count + 1 (two round trips of a few milliseconds, as a
 * GET then a SET on a remote store), so that concurrent requests read the same count and overwrite each other's increments.
 * Between the read and the write it works for 20 ms (as an app that computes or logs there would), so that a
 * concurrent burst overlaps even when a loaded machine serialises its requests by a few milliseconds; on
 * Redis without that gap the race showed up only some of the time.
 */
function readThenWriteStore(redis: Redis | undefined) {
  const local = new Map<string, string>();
  const roundTrip = () => new Promise<void>((resolve) => setTimeout(resolve, 5));
  const get = async (key: string) => (redis ? redis.get(key) : roundTrip().then(() => local.get(key) ?? null));
  const set = async (key: string, value: string) => (redis ? redis.set(key, value) : roundTrip().then(() => local.set(key, value)));
  return class ReadThenWriteStore {
    incr(key: string, cb: IncrCallback, timeWindow = 60_000) {
      const now = Date.now();
      get(`racy:${key}`)
        .then(async (text) => {
          const entry = text ? (JSON.parse(text) as { count: number; startMs: number }) : undefined;
          const next = !entry || entry.startMs + timeWindow <= now ? { count: 1, startMs: now } : { count: entry.count + 1, startMs: entry.startMs };
          await new Promise<void>((resolve) => setTimeout(resolve, 20));
          await set(`racy:${key}`, JSON.stringify(next));
          cb(null, { current: next.count, ttl: next.startMs + timeWindow - now });
        })
        .catch((error: Error) => cb(error));
    }
    child() {
      return new ReadThenWriteStore();
    }
  };
}

/** A proxy in front that resolves dot segments and doubled slashes before routing. */
const normalizeLikeAProxy = (req: { url?: string }) => {
  const url = new URL(req.url ?? '/', 'http://proxy.invalid');
  return `${url.pathname.replace(/\/{2,}/g, '/')}${url.search}`;
};

/**
 * ReconLayer as the doc implies, on Fastify and @fastify/rate-limit, written as a user would from the
 * plugin's README: a global limit from RATE_LIMIT_MAX per RATE_LIMIT_WINDOW, keyed by the bearer key's
 * organization (else the IP), the doc's allow-list on the request path, the limiter on onRequest (before
 * auth), x-ratelimit-* and retry-after headers, 404s limited too, and a `/docs/*` wildcard route for the
 * docs site. Returns the app, not yet listening.
 */
export async function createReconlayerApp(options: ReconlayerOptions = {}): Promise<FastifyInstance> {
  const defect = options.defect;
  const { max, windowMs } = readEnv(options.env);
  const timeWindow = defect === 'ignores-rate-limit-window' ? '1 minute' : (options.env?.RATE_LIMIT_WINDOW ?? '1 minute');
  const organizations = loadOrganizations(options.credentialsFile ?? RECONLAYER_CREDENTIALS);
  const orgOf = (req: FastifyRequest) => organizationOf(organizations, req.headers.authorization);
  const pathOf = (url: string) => url.split('?')[0] ?? url;
  const exempt = (req: FastifyRequest) => {
    if (defect === 'docs-subpages-limited') return isPublicPath(pathOf(req.url)) && !pathOf(req.url).startsWith('/docs/');
    if (defect === 'exempt-matched-on-url-with-query')
      return ['/health', '/openapi.json', '/openapi.yaml', '/docs'].includes(req.url) || /^\/(docs|webhooks)\//.test(req.url);
    if (defect === 'exempt-substring-match') return ['/health', '/openapi.json', '/openapi.yaml', '/docs', '/webhooks/'].some((p) => req.url.includes(p));
    if (defect === 'exempt-prefix-behind-normalizing-proxy') return ['/health', '/openapi', '/docs', '/webhooks/'].some((p) => req.originalUrl.startsWith(p));
    return isPublicPath(pathOf(req.url));
  };
  const store = defect === 'counts-from-zero' ? CountsFromZeroStore : defect === 'store-reads-then-writes' ? readThenWriteStore(options.redis) : undefined;

  const app = Fastify({
    trustProxy: options.trustProxy ?? false,
    rewriteUrl: defect === 'exempt-prefix-behind-normalizing-proxy' ? normalizeLikeAProxy : undefined,
  });
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    max: defect === 'exempt-spends-budget' ? (req) => (isPublicPath(pathOf(req.url)) ? Number.MAX_SAFE_INTEGER : max) : max,
    timeWindow,
    store,
    redis: store ? undefined : options.redis,
    continueExceeding: defect === 'continue-exceeding',
    keyGenerator: (req) => {
      if (defect === 'keyed-by-ip-only') return req.ip;
      if (defect === 'per-key-not-per-org' && req.headers.authorization) return `key:${req.headers.authorization}`;
      const org = orgOf(req);
      if (org) return `org:${org}`;
      if (defect === 'unknown-key-own-budget' && req.headers.authorization) return `key:${req.headers.authorization}`;
      return `ip:${req.ip}`;
    },
    allowList: defect === 'exempt-spends-budget' ? undefined : (req) => exempt(req),
    addHeaders: {
      ...(defect === 'missing-retry-after' ? { 'retry-after': false } : {}),
      ...(defect === 'no-limit-header-on-429' ? { 'x-ratelimit-limit': false } : {}),
    },
    errorResponseBuilder: (_req, context) => {
      const wording = defect === 'message-without-duration' ? 'Rate limit exceeded' : `Rate limit exceeded, retry in ${context.after}`;
      return Object.assign(new Error(wording), { statusCode: context.statusCode }, defect === 'body-has-code-field' ? { code: 'RATE_LIMITED' } : {});
    },
  });
  app.addHook('onSend', async (req, reply) => {
    const reset = reply.getHeader('x-ratelimit-reset');
    const retryAfter = reply.getHeader('retry-after');
    if (defect === 'reset-as-epoch' && reset !== undefined) reply.header('x-ratelimit-reset', Math.ceil(Date.now() / 1000) + Number(reset));
    if (defect === 'reset-is-window' && reset !== undefined) reply.header('x-ratelimit-reset', Math.ceil(windowMs / 1000));
    if (defect === 'retry-after-in-ms' && retryAfter !== undefined) reply.header('retry-after', Number(retryAfter) * 1000);
    if (defect === 'retry-after-one-second-short' && retryAfter !== undefined) reply.header('retry-after', Math.max(0, Number(retryAfter) - 1));
    // "Retry after the window": computed from the configured window instead of the time left.
    if (defect === 'retry-after-is-window' && retryAfter !== undefined) reply.header('retry-after', Math.ceil(windowMs / 1000));
    if (defect === 'exempt-sends-headers' && exempt(req)) reply.header('x-ratelimit-limit', max);
  });
  // Unknown routes are limited too: nothing outside the allow-list is free.
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, async (req, reply) => reply.code(404).send(notFound(req.method, req.url)));

  const requireOrg = async (req: FastifyRequest, reply: { code(n: number): { send(body: unknown): unknown } }) => {
    if (!orgOf(req)) return reply.code(401).send(unauthorized);
  };
  app.get('/v1/payment-intents', { preHandler: requireOrg }, async (req) => paymentIntentPage(orgOf(req) ?? ''));
  app.post('/v1/payment-intents', { preHandler: requireOrg }, async (req, reply) => reply.code(201).send(paymentIntent(orgOf(req) ?? '')));
  app.get('/v1/payment-intents/:id', { preHandler: requireOrg }, async (req) => paymentIntent(orgOf(req) ?? ''));
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/openapi.json', async () => openapiJson);
  app.get('/openapi.yaml', async (_req, reply) => reply.type('application/yaml').send(openapiYaml));
  app.get('/docs', async (_req, reply) => reply.type('text/html').send(docsPage('ReconLayer API docs')));
  app.get('/docs/*', async (_req, reply) => reply.type('text/html').send(docsPage('ReconLayer API docs')));
  app.post('/webhooks/:provider', async (_req, reply) => reply.code(202).send({ received: true }));
  return app;
}

/** Starts the app on 127.0.0.1 and a free port (or `port`); resolves to its URL and a close function. */
export async function startReconlayer(options: ReconlayerOptions & { port?: number } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const app = await createReconlayerApp(options);
  const url = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return { url, close: () => app.close() };
}
