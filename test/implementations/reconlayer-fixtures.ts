import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// What every ReconLayer reference server needs besides its router and limiter: the test keys, the
// deployment's environment, the allow-list as the doc states it, and the bodies it answers. Each stack's
// file keeps the rate limiting itself in its own library's idiom.

export const RECONLAYER_CREDENTIALS = join(import.meta.dirname, '..', '..', 'mocks', 'reconlayer.credentials.json');

/** The deployment's environment, as the doc names it. */
export interface ReconlayerEnv {
  RATE_LIMIT_MAX?: string;
  RATE_LIMIT_WINDOW?: string;
}

/** RATE_LIMIT_MAX (default 300) and RATE_LIMIT_WINDOW in milliseconds (default 1 minute; `2s`, `1 minute`, `1500`). */
export function readEnv(env: ReconlayerEnv = {}): { max: number; windowMs: number } {
  const max = Number(env.RATE_LIMIT_MAX ?? 300);
  const text = (env.RATE_LIMIT_WINDOW ?? '1 minute').trim();
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|seconds?|m|min|minutes?)?$/.exec(text);
  if (!match) throw new Error(`RATE_LIMIT_WINDOW "${text}" is not a duration`);
  const unit = match[2] ?? 'ms';
  const factor = unit === 'ms' ? 1 : unit.startsWith('m') ? 60_000 : 1000;
  return { max, windowMs: Number(match[1]) * factor };
}

/** API key → organization, from the test keys (`Authorization: Bearer <key>`). */
export function loadOrganizations(file = RECONLAYER_CREDENTIALS): Map<string, string> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { principals: Array<{ id: string; credentials: Array<Record<string, string>> }> };
  const byKey = new Map<string, string>();
  for (const p of parsed.principals) for (const c of p.credentials) if (c.authorization?.startsWith('Bearer ')) byKey.set(c.authorization.slice(7), p.id);
  return byKey;
}

/** The organization of an Authorization header, if its bearer key is known. */
export const organizationOf = (organizations: Map<string, string>, authorization: string | undefined): string | undefined =>
  authorization?.startsWith('Bearer ') ? organizations.get(authorization.slice(7)) : undefined;

/**
 * The doc's allow-list on a request path (without its query): /health, /openapi.json, /openapi.yaml,
 * /docs, anything below /docs/, and anything below /webhooks/. Plain string matching, as a user writes it.
 */
export function isPublicPath(path: string): boolean {
  return ['/health', '/openapi.json', '/openapi.yaml', '/docs'].includes(path) || path.startsWith('/docs/') || path.startsWith('/webhooks/');
}

/** `2 seconds`, `1 minute`: the time until the reset as @fastify/rate-limit words it in its message. */
export function retryInWords(seconds: number): string {
  const [value, unit] = seconds >= 60 ? [Math.round(seconds / 60), 'minute'] : [seconds, 'second'];
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

/** The documented 429 body. */
export const tooManyRequests = (seconds: number) => ({
  statusCode: 429,
  error: 'Too Many Requests',
  message: `Rate limit exceeded, retry in ${retryInWords(seconds)}`,
});

export const unauthorized = { statusCode: 401, error: 'Unauthorized', message: 'Missing or invalid API key' };
export const notFound = (method: string, url: string) => ({ statusCode: 404, error: 'Not Found', message: `Route ${method}:${url} not found` });

export const paymentIntent = (organizationId: string) => ({
  id: 'pi_3Nc8Kq2eZvKYlo2C0Xj4Lm9P',
  object: 'payment_intent',
  amount: 1000,
  currency: 'usd',
  description: null,
  status: 'requires_payment_method',
  organizationId,
  createdAt: '2024-05-14T09:30:00Z',
});

export const paymentIntentPage = (organizationId: string) => ({ data: [paymentIntent(organizationId)], limit: 25, offset: 0, total: 1 });

export const openapiJson = { openapi: '3.1.0', info: { title: 'ReconLayer API', version: '1.0.0' }, paths: {} };
export const openapiYaml = 'openapi: 3.1.0\ninfo:\n  title: ReconLayer API\n  version: 1.0.0\npaths: {}\n';
export const docsPage = (title: string) => `<!doctype html><title>${title}</title><h1>ReconLayer API</h1><p>${title}</p>`;

/** A folder of static docs pages (index.html, quickstart.html), for servers that serve /docs as files. */
export const STATIC_DOCS = join(import.meta.dirname, 'static-docs');
