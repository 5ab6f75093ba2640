import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { rateLimit } from 'express-rate-limit';

/** The IETF drafts express-rate-limit 8 writes (`standardHeaders`). */
export type ExpressRateLimitDraft = 'draft-6' | 'draft-7' | 'draft-8';

export interface ItemsExpressOptions {
  /** express-rate-limit's `standardHeaders`. */
  standardHeaders: ExpressRateLimitDraft;
  /** Requests per window (5, as test/fixtures/reference-servers/express-rate-limit-*.yaml declare). */
  limit?: number;
  windowMs?: number;
}

const ITEMS = [{ id: 'item_1', name: 'Sencha' }];

/**
 * The Items API of test/fixtures/reference-servers/express-rate-limit-*.yaml on Express 5 and
 * express-rate-limit 8, as its README shows: one limiter mounted on /v1 with `windowMs`, `limit` and
 * `standardHeaders`, legacy headers off, every other option left at its default (keyed by the client IP,
 * the default 429 handler and message); /health outside it, and a catch-all 404.
 */
export function createItemsExpressApp(options: ItemsExpressOptions): Express {
  const app = express();
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/v1', rateLimit({ windowMs: options.windowMs ?? 2_000, limit: options.limit ?? 5, standardHeaders: options.standardHeaders, legacyHeaders: false }));
  app.get('/v1/items', (_req, res) => {
    res.json(ITEMS);
  });
  app.get('/v1/items/:id', (req, res) => {
    const item = ITEMS.find((i) => i.id === req.params.id);
    if (item) res.json(item);
    else res.status(404).json({ error: 'not found' });
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  return app;
}

/** Starts the app on 127.0.0.1 and a free port. */
export async function startItemsExpress(options: ItemsExpressOptions): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(createItemsExpressApp(options));
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
