// The comparison servers of `npm run bench`, each started as its own process (`node bench/servers.mjs <name> <port>`)
// so that the load generator and the server do not share one event loop.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [name, portText] = process.argv.slice(2);
const port = Number(portText);
// The same bytes the mock sends for GET /v1/payment-intents (its Prism-rendered example), so every server
// puts equal work on the wire and the ratios measure server-side cost only.
const catalog = JSON.parse(readFileSync(new URL('../mocks/reconlayer.responses.json', import.meta.url), 'utf8'));
const BODY = catalog.operations.find((op) => op.method === 'GET' && op.path === '/v1/payment-intents').responses['200'].body;

if (name === 'bare') {
  createServer((_req, res) => {
    // Static stand-ins for the three x-ratelimit-* headers the mock computes per request.
    res.writeHead(200, {
      'x-ratelimit-limit': '300',
      'x-ratelimit-remaining': '299',
      'x-ratelimit-reset': '60',
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(BODY),
    });
    res.end(BODY);
  }).listen(port, '127.0.0.1', () => process.send?.('ready'));
} else if (name === 'fastify') {
  const { default: Fastify } = await import('fastify');
  const { default: rateLimit } = await import('@fastify/rate-limit');
  const app = Fastify({ logger: false });
  await app.register(rateLimit, { max: 1_000_000_000, timeWindow: 60_000, keyGenerator: (req) => req.headers.authorization ?? req.ip });
  app.get('/v1/payment-intents', async (_req, reply) => reply.header('content-type', 'application/json').send(BODY));
  await app.listen({ port, host: '127.0.0.1' });
  process.send?.('ready');
} else if (name === 'fastify-redis') {
  // @fastify/rate-limit on a shared Redis, with the ioredis settings its README's example recommends.
  const { default: Fastify } = await import('fastify');
  const { default: rateLimit } = await import('@fastify/rate-limit');
  const { Redis } = await import('ioredis');
  const redis = new Redis(process.argv[4], { connectTimeout: 500, maxRetriesPerRequest: 1 });
  const app = Fastify({ logger: false });
  await app.register(rateLimit, { max: 1_000_000_000, timeWindow: 60_000, redis, keyGenerator: (req) => req.headers.authorization ?? req.ip });
  app.get('/v1/payment-intents', async (_req, reply) => reply.header('content-type', 'application/json').send(BODY));
  await app.listen({ port, host: '127.0.0.1' });
  process.send?.('ready');
} else {
  console.error(`unknown server ${name}`);
  process.exit(2);
}
