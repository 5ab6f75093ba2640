import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import {
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
  STATIC_DOCS,
  tooManyRequests,
  unauthorized,
} from './reconlayer-fixtures.js';

/** Defects a broken variant switches on; none gives the correct app. */
export type ReconlayerFlexibleDefect =
  /** rate-limiter-flexible's blockDuration: a key over the limit is blocked for a whole window from its first 429. */
  | 'block-duration'
  /** retry-after computed from the configured duration instead of msBeforeNext. */
  | 'retry-after-from-duration';

/**
 * ReconLayer on Express 5 and rate-limiter-flexible, as its README and wiki's Express middleware show:
 * a RateLimiterMemory of RATE_LIMIT_MAX points per RATE_LIMIT_WINDOW, consumed once per request by a
 * middleware mounted before the routes (keyed by the organization, else the IP), the headers set from the
 * RateLimiterRes, the docs site served by express.static, and a catch-all 404.
 */
export function createReconlayerExpressApp(options: { env?: ReconlayerEnv; defect?: ReconlayerFlexibleDefect } = {}): Express {
  const { max, windowMs } = readEnv(options.env);
  const organizations = loadOrganizations();
  const limiter = new RateLimiterMemory({
    points: max,
    duration: windowMs / 1000,
    ...(options.defect === 'block-duration' ? { blockDuration: windowMs / 1000 } : {}),
  });
  const secondsLeft = (res: RateLimiterRes) =>
    options.defect === 'retry-after-from-duration' ? Math.ceil(windowMs / 1000) : Math.max(0, Math.ceil(res.msBeforeNext / 1000));

  const rateLimitMiddleware = async (req: Request, res: Response, next: NextFunction) => {
    if (isPublicPath(req.path)) return next();
    const key = organizationOf(organizations, req.get('authorization')) ?? req.ip ?? 'unknown';
    try {
      const result = await limiter.consume(key);
      res.set({ 'x-ratelimit-limit': String(max), 'x-ratelimit-remaining': String(result.remainingPoints), 'x-ratelimit-reset': String(secondsLeft(result)) });
      next();
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) return next(rejection);
      const seconds = secondsLeft(rejection);
      res.set({ 'x-ratelimit-limit': String(max), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(seconds), 'retry-after': String(seconds) });
      res.status(429).json(tooManyRequests(seconds));
    }
  };
  const requireOrg = (req: Request, res: Response, next: NextFunction) => {
    if (organizationOf(organizations, req.get('authorization'))) next();
    else res.status(401).json(unauthorized);
  };
  const org = (req: Request) => organizationOf(organizations, req.get('authorization')) ?? '';

  const app = express();
  app.use(rateLimitMiddleware);
  app.use(express.json());
  app.get('/v1/payment-intents', requireOrg, (req, res) => {
    res.json(paymentIntentPage(org(req)));
  });
  app.post('/v1/payment-intents', requireOrg, (req, res) => {
    res.status(201).json(paymentIntent(org(req)));
  });
  app.get('/v1/payment-intents/:id', requireOrg, (req, res) => {
    res.json(paymentIntent(org(req)));
  });
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openapiJson);
  });
  app.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(openapiYaml);
  });
  app.use('/docs', express.static(STATIC_DOCS, { extensions: ['html'] }));
  app.post('/webhooks/:provider', (_req, res) => {
    res.status(202).json({ received: true });
  });
  app.use((req, res) => {
    res.status(404).json(notFound(req.method, req.originalUrl));
  });
  return app;
}

/** Starts the app on 127.0.0.1 and a free port. */
export async function startReconlayerExpress(options: Parameters<typeof createReconlayerExpressApp>[0] = {}): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(createReconlayerExpressApp(options));
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
