import type { AddressInfo } from 'node:net';
import fastifyRateLimit from '@fastify/rate-limit';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import Fastify from 'fastify';
import { parseList } from 'structured-headers';
import { afterEach, describe, expect, it } from 'vitest';
import { detectRateLimitHeaders } from '../src/core/headers/detect-headers.js';
import { headerGetter } from '../src/core/headers/header-getter.js';
import { readRateLimitHeaders } from '../src/core/headers/read-headers.js';
import { createHeaderWriter } from '../src/core/headers/write-headers.js';
import type { HeaderFormat, LimitPolicy } from '../src/core/policy.js';

// The read side against software we did not write: express-rate-limit 8 (legacy x-ratelimit-* with an
// epoch reset, and standardHeaders draft-6, draft-7, draft-8) and @fastify/rate-limit (its defaults, and
// enableDraftSpec), each configured from its own docs, 5 requests a minute. What they send must read as
// the style declares it, with no problem; our write side, for the same budget, must send the same fields
// (compared as parsed Structured Fields, as spacing differs).

const LIMIT = 5;
type Served = { url: string; close(): Promise<void> };
let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

async function expressWith(options: Parameters<typeof rateLimit>[0]): Promise<Served> {
  const app = express();
  app.use(rateLimit({ windowMs: 60_000, limit: LIMIT, ...options }));
  app.get('/', (_req, res) => void res.json({ ok: true }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function fastifyWith(options: Record<string, unknown>): Promise<Served> {
  const app = Fastify();
  await app.register(fastifyRateLimit, { max: LIMIT, timeWindow: 60_000, ...options });
  app.get('/', async () => ({ ok: true }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${url}/`, close: () => app.close() };
}

/** Sends limit + 1 requests; returns the first answer and the rejection. */
async function firstAndRejected(url: string): Promise<{ first: Response; rejected: Response }> {
  const responses: Response[] = [];
  for (let i = 0; i <= LIMIT; i += 1) {
    const res = await fetch(url);
    await res.arrayBuffer();
    responses.push(res);
  }
  return { first: responses[0] as Response, rejected: responses[LIMIT] as Response };
}

const format = (style: HeaderFormat['style'], fields: Partial<HeaderFormat> = {}): HeaderFormat => ({
  style,
  names: { retryAfter: 'retry-after' },
  resetFormat: 'seconds',
  retryAfterFormat: 'seconds',
  partitionKey: false,
  ...fields,
});
const limitNamed = (name: string): LimitPolicy => ({
  name,
  limit: LIMIT,
  windowMs: 60_000,
  algorithm: 'fixed-window',
  key: { by: 'ip' },
  cost: 1,
  unit: 'requests',
  bucket: 'shared',
  report: true,
  rejection: { status: 429, contentType: 'application/json', body: {}, retryAfter: true },
});

describe('the read side on real servers', () => {
  it.each<[string, () => Promise<Served>, HeaderFormat, string]>([
    [
      'express-rate-limit legacy headers (epoch reset)',
      () => expressWith({ standardHeaders: false, legacyHeaders: true }),
      format('named', {
        names: { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', retryAfter: 'retry-after' },
        resetFormat: 'epoch-seconds',
      }),
      'default',
    ],
    ['express-rate-limit draft-6', () => expressWith({ standardHeaders: 'draft-6', legacyHeaders: false }), format('draft-6'), 'default'],
    ['express-rate-limit draft-7', () => expressWith({ standardHeaders: 'draft-7', legacyHeaders: false }), format('draft-7'), 'default'],
    ['express-rate-limit draft-8', () => expressWith({ standardHeaders: 'draft-8', legacyHeaders: false }), format('draft-8'), '5-in-1min'],
    [
      '@fastify/rate-limit defaults',
      () => fastifyWith({}),
      format('named', { names: { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', retryAfter: 'retry-after' } }),
      'default',
    ],
    [
      '@fastify/rate-limit enableDraftSpec',
      () => fastifyWith({ enableDraftSpec: true }),
      format('named', { names: { limit: 'ratelimit-limit', remaining: 'ratelimit-remaining', reset: 'ratelimit-reset', retryAfter: 'retry-after' } }),
      'default',
    ],
  ])('%s reads as declared, and without a policy too', async (_name, start, declared, name) => {
    served = await start();
    const { first, rejected } = await firstAndRejected(served.url);
    const source = { headers: declared, limits: [limitNamed(name)] };
    const firstReading = readRateLimitHeaders(source, headerGetter(first.headers), Date.now());
    expect(firstReading.problems).toEqual([]);
    expect(firstReading.limits[0]).toMatchObject({ limit: LIMIT, remaining: LIMIT - 1 });
    expect(firstReading.limits[0]?.resetMs).toBeGreaterThan(0);
    expect(firstReading.limits[0]?.resetMs).toBeLessThanOrEqual(61_000);
    expect(rejected.status).toBe(429);
    const rejectedReading = readRateLimitHeaders(source, headerGetter(rejected.headers), Date.now());
    expect(rejectedReading.problems).toEqual([]);
    expect(rejectedReading.limits[0]?.remaining).toBe(0);
    expect(rejectedReading.retryAfterMs).toBeGreaterThan(0);
    expect(detectRateLimitHeaders(headerGetter(first.headers), Date.now()).limits[0]).toMatchObject({ remaining: LIMIT - 1 });
  });

  it('express-rate-limit draft-8: our write side sends the same fields, item for item', async () => {
    served = await expressWith({ standardHeaders: 'draft-8', legacyHeaders: false });
    const first = await fetch(served.url);
    const theirs = { ratelimit: first.headers.get('ratelimit') ?? '', policy: first.headers.get('ratelimit-policy') ?? '' };
    const write = createHeaderWriter(format('draft-8'), [limitNamed('5-in-1min')]);
    const ours = write([{ allowed: true, limit: LIMIT, remaining: LIMIT - 1, resetMs: 60_000, retryAfterMs: 0 }], Date.now());
    const field = (flat: string[], name: string) => flat[flat.indexOf(name) + 1] ?? '';
    const withoutPk = (text: string) => parseList(text).map(([value, params]) => [value, [...params].filter(([k]) => k !== 'pk')]);
    expect(withoutPk(field(ours, 'ratelimit'))).toEqual(withoutPk(theirs.ratelimit));
    expect(withoutPk(field(ours, 'ratelimit-policy'))).toEqual(withoutPk(theirs.policy));
    expect(parseList(theirs.policy)[0]?.[1].has('pk')).toBe(true);
  });
});
