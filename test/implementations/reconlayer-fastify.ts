import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';

/**
 * Defects a broken variant switches on, each named for what it gets wrong. The correct implementation
 * is this same code with none of them.
 */
export const RECONLAYER_DEFECTS = [
  'counts-from-zero',
  'missing-retry-after',
  'retry-after-in-ms',
  'retry-after-one-second-short',
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
  'exempt-substring-match',
  'exempt-prefix-behind-normalizing-proxy',
] as const;
export type ReconlayerDefect = (typeof RECONLAYER_DEFECTS)[number];

export interface ReconlayerOptions {
  /** The deployment's environment: RATE_LIMIT_MAX (default 300) and RATE_LIMIT_WINDOW (default 1 minute). */
  env?: { RATE_LIMIT_MAX?: string; RATE_LIMIT_WINDOW?: string };
  credentialsFile?: string;
  defect?: ReconlayerDefect;
}

const FIXTURE = join(import.meta.dirname, '..', '..', 'mocks', 'reconlayer.credentials.json');
const EXACT = new Set(['/health', '/openapi.json', '/openapi.yaml', '/docs']);

/** The doc's allow-list, matched exactly against a clean path: /health, /openapi.*, /docs, /docs/*, /webhooks/*. */
function isExempt(url: string, below: string[]): boolean {
  const path = url.split('?')[0] ?? '';
  if (/[%;\\]|\/\/|\/\.\.?(\/|$)/.test(path)) return false;
  return EXACT.has(path) || below.some((prefix) => path.startsWith(prefix) && path.length > prefix.length);
}

/** A fixed-window store that reports one hit too few: the classic off-by-one. */
class CountsFromZeroStore {
  private readonly hits = new Map<string, { count: number; startMs: number }>();
  incr(key: string, cb: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow = 60_000) {
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

/** A proxy in front that resolves dot segments and doubled slashes before routing. */
const normalizeLikeAProxy = (req: { url?: string }) => {
  const url = new URL(req.url ?? '/', 'http://proxy.invalid');
  return `${url.pathname.replace(/\/{2,}/g, '/')}${url.search}`;
};

/**
 * ReconLayer as the doc implies, on Fastify and @fastify/rate-limit: a global limit from RATE_LIMIT_MAX
 * per RATE_LIMIT_WINDOW, keyed by the bearer key's organization (else the IP), the allow-list matched
 * exactly, the limiter on onRequest (before auth), x-ratelimit-* and retry-after headers, and 404s limited
 * too. Returns the app, not yet listening.
 */
export async function createReconlayerApp(options: ReconlayerOptions = {}): Promise<FastifyInstance> {
  const defect = options.defect;
  const max = Number(options.env?.RATE_LIMIT_MAX ?? 300);
  const timeWindow = defect === 'ignores-rate-limit-window' ? '1 minute' : (options.env?.RATE_LIMIT_WINDOW ?? '1 minute');
  const file = JSON.parse(readFileSync(options.credentialsFile ?? FIXTURE, 'utf8')) as {
    principals: Array<{ id: string; credentials: Array<Record<string, string>> }>;
  };
  const orgByKey = new Map<string, string>();
  for (const p of file.principals) for (const c of p.credentials) if (c.authorization?.startsWith('Bearer ')) orgByKey.set(c.authorization.slice(7), p.id);
  const orgOf = (req: FastifyRequest) => {
    const auth = req.headers.authorization;
    return auth?.startsWith('Bearer ') ? orgByKey.get(auth.slice(7)) : undefined;
  };
  const below = defect === 'docs-subpages-limited' ? ['/webhooks/'] : ['/docs/', '/webhooks/'];
  const exempt = (req: FastifyRequest) => {
    if (defect === 'exempt-substring-match') return ['/health', '/openapi.json', '/openapi.yaml', '/docs', '/webhooks/'].some((p) => req.url.includes(p));
    if (defect === 'exempt-prefix-behind-normalizing-proxy') return ['/health', '/openapi', '/docs', '/webhooks/'].some((p) => req.originalUrl.startsWith(p));
    return isExempt(req.url, below);
  };

  const app = Fastify({ rewriteUrl: defect === 'exempt-prefix-behind-normalizing-proxy' ? normalizeLikeAProxy : undefined });
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    max: defect === 'exempt-spends-budget' ? (req) => (isExempt(req.url, below) ? Number.MAX_SAFE_INTEGER : max) : max,
    timeWindow,
    store: defect === 'counts-from-zero' ? CountsFromZeroStore : undefined,
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
    if (defect === 'retry-after-in-ms' && retryAfter !== undefined) reply.header('retry-after', Number(retryAfter) * 1000);
    if (defect === 'retry-after-one-second-short' && retryAfter !== undefined) reply.header('retry-after', Math.max(0, Number(retryAfter) - 1));
    if (defect === 'exempt-sends-headers' && exempt(req)) reply.header('x-ratelimit-limit', max);
  });
  // Unknown routes are limited too: nothing outside the allow-list is free.
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, async (req, reply) =>
    reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `Route ${req.method}:${req.url} not found` }),
  );

  const requireOrg = async (req: FastifyRequest, reply: { code(n: number): { send(body: unknown): unknown } }) => {
    if (!orgOf(req)) return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'Missing or invalid API key' });
  };
  const intent = (org: string) => ({
    id: 'pi_3Nc8Kq2eZvKYlo2C0Xj4Lm9P',
    object: 'payment_intent',
    amount: 1000,
    currency: 'usd',
    description: null,
    status: 'requires_payment_method',
    organizationId: org,
    createdAt: '2024-05-14T09:30:00Z',
  });
  app.get('/v1/payment-intents', { preHandler: requireOrg }, async (req) => ({ data: [intent(orgOf(req) ?? '')], limit: 25, offset: 0, total: 1 }));
  app.post('/v1/payment-intents', { preHandler: requireOrg }, async (req, reply) => reply.code(201).send(intent(orgOf(req) ?? '')));
  app.get('/v1/payment-intents/:id', { preHandler: requireOrg }, async (req) => intent(orgOf(req) ?? ''));
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/openapi.json', async () => ({ openapi: '3.1.0', info: { title: 'ReconLayer API', version: '1.0.0' }, paths: {} }));
  app.get('/openapi.yaml', async (_req, reply) => reply.type('application/yaml').send('openapi: 3.1.0\n'));
  app.get('/docs', async (_req, reply) => reply.type('text/html').send('<h1>ReconLayer API</h1>'));
  app.get('/docs/:page', async (_req, reply) => reply.type('text/html').send('<h1>Docs</h1>'));
  app.post('/webhooks/:provider', async (_req, reply) => reply.code(202).send({ received: true }));
  return app;
}

/** Starts the app on 127.0.0.1 and a free port; resolves to its URL and a close function. */
export async function startReconlayer(options: ReconlayerOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const app = await createReconlayerApp(options);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}
