import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';

/** Defects a broken variant switches on, each named for what it gets wrong; none gives the correct app. */
export const AUTHMATECH_DEFECTS = [
  'rejects-at-the-limit',
  'global-limiter',
  'one-level-only',
  'envelope-wrong-shape',
  'envelope-as-text',
  'one-budget-for-all-clients',
  'window-sixty-times-too-long',
] as const;
export type AuthmatechDefect = (typeof AUTHMATECH_DEFECTS)[number];

export interface AuthmatechOptions {
  limit?: number;
  windowMs?: number;
  credentialsFile?: string;
  defect?: AuthmatechDefect;
}

const FIXTURE = join(import.meta.dirname, '..', '..', 'mocks', 'authmatech.credentials.json');
const ENVELOPE_429 = { success: false, messages: [{ type: 'FAILURE', message: 'Rate limit exceeded.', httpStatus: 'TOO_MANY_REQUESTS' }], data: null };
const ok = (message: string, data: unknown) => ({ success: true, messages: [{ type: 'SUCCESS', message, httpStatus: 'OK' }], data });
const failure = (message: string, httpStatus: string) => ({ success: false, messages: [{ type: 'FAILURE', message, httpStatus }], data: null });

/**
 * Authmatech as the doc implies, on Express 5 and express-rate-limit 8: the limiter mounted on /v1/api
 * (every depth below it), keyed by a known X-CLIENT-ID else the IP, answering the documented envelope,
 * and sending no rate-limit headers.
 */
export function createAuthmatechApp(options: AuthmatechOptions = {}): Express {
  const { defect } = options;
  const limit = options.limit ?? 1000;
  const windowMs = (options.windowMs ?? 60_000) * (defect === 'window-sixty-times-too-long' ? 60 : 1);
  const file = JSON.parse(readFileSync(options.credentialsFile ?? FIXTURE, 'utf8')) as {
    principals: Array<{ id: string; credentials: Array<Record<string, string>> }>;
  };
  const apiKeys = new Map<string, string>();
  for (const p of file.principals) for (const c of p.credentials) if (c['x-client-id'] && c['x-api-key']) apiKeys.set(c['x-client-id'], c['x-api-key']);

  const limiter = rateLimit({
    windowMs,
    limit: defect === 'rejects-at-the-limit' ? limit - 1 : limit,
    standardHeaders: false,
    legacyHeaders: false,
    keyGenerator: (req) => {
      if (defect === 'one-budget-for-all-clients') return 'everyone';
      const id = req.get('x-client-id');
      return id !== undefined && apiKeys.has(id) ? `client:${id}` : ipKeyGenerator(req.ip ?? '');
    },
    handler: (_req, res) => {
      if (defect === 'envelope-as-text') res.status(429).send(JSON.stringify(ENVELOPE_429));
      else if (defect === 'envelope-wrong-shape') res.status(429).json({ success: false, message: 'Too many requests', data: null });
      else res.status(429).json(ENVELOPE_429);
    },
  });
  const authenticate = (req: Request, res: Response, next: NextFunction) => {
    const id = req.get('x-client-id');
    if (id === undefined || apiKeys.get(id) !== req.get('x-api-key'))
      res.status(401).json(failure('Invalid or missing X-API-KEY / X-CLIENT-ID.', 'UNAUTHORIZED'));
    else next();
  };

  const app = express();
  app.use(express.json());
  if (defect === 'global-limiter') app.use(limiter);
  else if (defect === 'one-level-only') app.all('/v1/api/:area/:action', limiter);
  else app.use('/v1/api', limiter);
  app.use('/v1/api', authenticate);
  app.post('/v1/api/identity/verify', (_req, res) => {
    res.json(ok('Verification started.', { sessionId: 'ses_8f2c1a', status: 'PENDING', phoneNumber: '+14155550123', createdAt: '2024-05-14T09:30:00Z' }));
  });
  app.get('/v1/api/identity/sessions/:sessionId', (req, res) => {
    res.json(ok('Session found.', { sessionId: req.params.sessionId, status: 'VERIFIED', phoneNumber: '+14155550123', createdAt: '2024-05-14T09:30:00Z' }));
  });
  app.get('/v1/api/portal/analytics/usage', (_req, res) => {
    res.json(ok('Usage loaded.', { from: '2024-05-01', to: '2024-05-02', totalRequests: 0, days: [] }));
  });
  app.post('/v1/api/connect/imports', (_req, res) => {
    res
      .status(202)
      .json(ok('Import queued.', { importId: 'imp_51b7e0', status: 'QUEUED', format: 'CSV', recordsProcessed: 0, createdAt: '2024-05-14T09:30:00Z' }));
  });
  app.get('/v1/api/connect/imports/:importId', (req, res) => {
    res.json(
      ok('Import found.', { importId: req.params.importId, status: 'RUNNING', format: 'CSV', recordsProcessed: 1200, createdAt: '2024-05-14T09:30:00Z' }),
    );
  });
  app.get('/health', (_req, res) => {
    res.json(ok('OK', { status: 'UP' }));
  });
  app.get('/v1/status', (_req, res) => {
    res.json(ok('All systems operational.', { status: 'OPERATIONAL' }));
  });
  app.use((_req, res) => {
    res.status(404).json(failure('Resource not found.', 'NOT_FOUND'));
  });
  return app;
}

/** Starts the app on 127.0.0.1 and a free port. */
export async function startAuthmatech(options: AuthmatechOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(createAuthmatechApp(options));
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
