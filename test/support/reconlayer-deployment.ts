import { join } from 'node:path';
import type { ReconlayerDefect } from '../implementations/reconlayer-fastify.js';
import { type BalancerMode, type LoadBalancer, startLoadBalancer } from './load-balancer.js';
import { type RedisServer, startRedis } from './redis-server.js';
import { type ReplicaProcess, startReplicaProcess } from './replica-process.js';

const REPLICA = join(import.meta.dirname, '..', 'implementations', 'reconlayer-replica.ts');

export interface DeploymentOptions {
  /** How the balancer spreads traffic: per connection (`l4`) or per request (`l7`). */
  mode: BalancerMode;
  /** `redis`: one Redis shared by every replica; `memory`: each process counts in its own memory. */
  store: 'redis' | 'memory';
  replicas?: number;
  env: { RATE_LIMIT_MAX: string; RATE_LIMIT_WINDOW: string };
  defect?: ReconlayerDefect;
}

export interface Deployment {
  /** The balancer's URL: the deployment's front door. */
  url: string;
  replicas: ReplicaProcess[];
  balancer: LoadBalancer;
  redis?: RedisServer;
  close(): Promise<void>;
}

/** Starts (and stops) one replica process, so that the ones that follow find their TypeScript already transpiled. */
export async function warmReplicaStart(): Promise<void> {
  const replica = await startReplicaProcess(REPLICA, { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW: '2s' });
  await replica.stop();
}

/**
 * A ReconLayer deployment as production runs it: N processes of the Fastify reference (default 2) behind
 * a balancer, counting in a shared Redis (Debian's redis-server, started here on a free port) or each in its
 * own memory. Everything it starts stops on close().
 */
export async function startReconlayerDeployment(options: DeploymentOptions): Promise<Deployment> {
  const started: Array<{ stop?: () => Promise<void>; close?: () => Promise<void> }> = [];
  const stopAll = async () => {
    for (const part of started.reverse()) await (part.stop ?? part.close)?.call(part);
  };
  try {
    const redis = options.store === 'redis' ? await startRedis() : undefined;
    if (redis) started.push(redis);
    const replicas: ReplicaProcess[] = [];
    for (let i = 0; i < (options.replicas ?? 2); i += 1) {
      const replica = await startReplicaProcess(REPLICA, {
        ...options.env,
        REDIS_URL: redis?.url,
        TRUST_PROXY: options.mode === 'l7' ? 'true' : undefined,
        DEFECT: options.defect,
      });
      replicas.push(replica);
      started.push(replica);
    }
    const balancer = await startLoadBalancer({ mode: options.mode, upstreams: replicas.map((r) => ({ host: r.host, port: r.port })) });
    started.push(balancer);
    return { url: balancer.url, replicas, balancer, redis, close: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
