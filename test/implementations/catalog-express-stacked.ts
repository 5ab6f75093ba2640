import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { ipKeyGenerator, type Options, rateLimit } from 'express-rate-limit';

/** Defects a broken variant switches on; none gives the correct app. */
export type CatalogDefect =
  /** The burst limiter's options were copied from the daily one's, identifier included: a burst refusal is reported as "daily". */
  | 'burst-reported-as-daily'
  /** The daily limiter mounted before the burst one: a request the burst refuses has spent the daily limit. */
  | 'daily-stacked-first';

export interface CatalogOptions {
  burst?: { limit: number; windowMs: number };
  daily?: { limit: number; windowMs: number };
  defect?: CatalogDefect;
  /** express-rate-limit's `standardHeaders`, for both limiters ('draft-8' by default). */
  standardHeaders?: 'draft-7' | 'draft-8';
  /** The API keys (a credentials file); the example's by default. */
  credentialsFile?: string;
}

/** The example's credentials file. */
export const CATALOG_CREDENTIALS = join(import.meta.dirname, '..', '..', 'mocks', 'examples', 'ietf-draft-12.credentials.json');
const PRODUCTS = [{ sku: 'TEA-001', name: 'Sencha', priceCents: 1200 }];

/** The API keys of the example's credentials file. */
function loadKeys(credentialsFile: string): Set<string> {
  const file = JSON.parse(readFileSync(credentialsFile, 'utf8')) as { principals: Array<{ credentials: Array<Record<string, string>> }> };
  return new Set(file.principals.flatMap((p) => p.credentials.map((c) => c['x-api-key'] ?? '')).filter(Boolean));
}

/**
 * The catalog API of openapi/examples/ietf-draft-12.yaml on Express 5 with two express-rate-limit 8
 * instances, as its README shows for several limits: a burst limiter and a daily one stacked on /v1, each
 * with `standardHeaders: 'draft-8'` and an `identifier` naming its policy (so each appends its item to
 * RateLimit and RateLimit-Policy), keyed by the API key (else the IP, through ipKeyGenerator), and a
 * `handler` that answers the draft's quota-exceeded problem naming the limiter's policy. /v1/status comes
 * before the limiters; an unknown or missing key gets 401 after them.
 */
export function createCatalogApp(options: CatalogOptions = {}): Express {
  const keys = loadKeys(options.credentialsFile ?? CATALOG_CREDENTIALS);
  const burst = options.burst ?? { limit: 3, windowMs: 1_000 };
  const daily = options.daily ?? { limit: 20, windowMs: 10_000 };
  const keyOf = (req: Request) => req.get('x-api-key') ?? '';
  const common: Partial<Options> = {
    standardHeaders: options.standardHeaders ?? 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => (keys.has(keyOf(req)) ? `key:${keyOf(req)}` : ipKeyGenerator(req.ip ?? '')),
    handler: (_req, res, _next, used) => {
      res
        .status(used.statusCode)
        .type('application/problem+json')
        .json({
          type: 'https://iana.org/assignments/http-problem-types#quota-exceeded',
          title: 'Request cannot be satisfied as assigned quota has been exceeded',
          'violated-policies': [used.identifier],
        });
    },
  };
  const dailyOptions: Partial<Options> = { ...common, identifier: 'daily', windowMs: daily.windowMs, limit: daily.limit };
  const burstOptions: Partial<Options> =
    options.defect === 'burst-reported-as-daily'
      ? { ...dailyOptions, windowMs: burst.windowMs, limit: burst.limit }
      : { ...common, identifier: 'burst', windowMs: burst.windowMs, limit: burst.limit };

  const app = express();
  app.get('/v1/status', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const limiters = [rateLimit(burstOptions), rateLimit(dailyOptions)];
  app.use('/v1', ...(options.defect === 'daily-stacked-first' ? limiters.reverse() : limiters));
  const requireKey = (req: Request, res: Response, next: NextFunction) => {
    if (keys.has(keyOf(req))) next();
    else res.status(401).type('application/problem+json').json({ type: 'about:blank', title: 'Unauthorized' });
  };
  app.get('/v1/products', requireKey, (_req, res) => {
    res.json(PRODUCTS);
  });
  app.get('/v1/products/:sku', requireKey, (req, res) => {
    const product = PRODUCTS.find((p) => p.sku === req.params.sku);
    if (product) res.json(product);
    else res.status(404).type('application/problem+json').json({ type: 'about:blank', title: 'Not Found' });
  });
  app.use((_req, res) => {
    res.status(404).type('application/problem+json').json({ type: 'about:blank', title: 'Not Found' });
  });
  return app;
}

/** Starts the app on 127.0.0.1 and a free port. */
export async function startCatalog(options: CatalogOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(createCatalogApp(options));
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
