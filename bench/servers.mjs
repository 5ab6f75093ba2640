// The comparison servers of `npm run bench`, each started as its own process (`node bench/servers.mjs <name> <port>`)
// so that the load generator and the server do not share one event loop.
import { createServer } from 'node:http';

const [name, portText] = process.argv.slice(2);
const port = Number(portText);
const BODY = JSON.stringify({ data: [{ id: 'pi_3Nc8example', amount: 1000, currency: 'usd', status: 'requires_payment_method' }], limit: 25, offset: 0, total: 1 });

if (name === 'bare') {
  createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(BODY) });
    res.end(BODY);
  }).listen(port, '127.0.0.1', () => process.send?.('ready'));
} else if (name === 'fastify') {
  const { default: Fastify } = await import('fastify');
  const { default: rateLimit } = await import('@fastify/rate-limit');
  const app = Fastify({ logger: false });
  await app.register(rateLimit, { max: 1_000_000_000, timeWindow: 60_000, keyGenerator: (req) => req.headers.authorization ?? req.ip });
  app.get('/v1/payment-intents', async (_req, reply) => reply.header('content-type', 'application/json; charset=utf-8').send(BODY));
  await app.listen({ port, host: '127.0.0.1' });
  process.send?.('ready');
} else {
  console.error(`unknown server ${name}`);
  process.exit(2);
}
