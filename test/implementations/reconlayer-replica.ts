import { Redis } from 'ioredis';
import { type ReconlayerDefect, startReconlayer } from './reconlayer-fastify.js';

// One replica of the ReconLayer deployment, as its own process: the Fastify reference, configured from the
// environment as a deployment configures it (RATE_LIMIT_MAX, RATE_LIMIT_WINDOW, REDIS_URL for a shared store,
// TRUST_PROXY behind an HTTP balancer). Prints `listening <url>` once it accepts connections; SIGTERM stops it.

const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL, { connectTimeout: 500, maxRetriesPerRequest: 1 }) : undefined;
const server = await startReconlayer({
  env: { RATE_LIMIT_MAX: process.env.RATE_LIMIT_MAX, RATE_LIMIT_WINDOW: process.env.RATE_LIMIT_WINDOW },
  redis,
  trustProxy: process.env.TRUST_PROXY === 'true',
  defect: (process.env.DEFECT || undefined) as ReconlayerDefect | undefined,
});
process.stdout.write(`listening ${server.url}\n`);
process.once('SIGTERM', async () => {
  await server.close();
  await redis?.quit();
  process.exit(0);
});
