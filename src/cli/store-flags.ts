import { availableParallelism } from 'node:os';
import type { BudgetStore } from '../core/budget-store.js';
import { STORE_FAULT_MODES, type StoreFaultMode } from '../engine/store-fault.js';
import { openStoreOption } from '../mock/open-store.js';
import type { MockServer } from '../mock/start-mock-server.js';
import { readRedisUrl } from '../store/redis-connection.js';
import { usageError } from './cli-error.js';

/** The env var a container sets instead of --store. */
export const STORE_ENV = 'RATE_LIMIT_STORE';

/** Where budgets live and how many processes serve: `mock`'s --store, --store-prefix, --store-fault and --workers. */
export interface SharedStoreFlags {
  /** A Redis URL, and where it came from (`--store` or RATE_LIMIT_STORE); none: memory. */
  store: { url: string; source: string } | undefined;
  prefix: string | undefined;
  fault: StoreFaultMode;
  /** Processes that serve the port: 1 is this process alone. */
  workers: number;
}

export const STORE_HELP = `  --store <url>          keep budgets in Redis, shared by every replica: redis://host:port[/db]
                         (env ${STORE_ENV}; default: in this process's memory)
  --store-prefix <p>     begin every Redis key with <p> (default rlc:); replicas of one API share it
  --store-fault <mode>   while Redis is unreachable, limited requests get: closed (default) 503,
                         or open, served without limits; either way the mock reconnects by itself
  --workers <n|auto>     serve the port from n processes (node:cluster; auto: one per core); budgets
                         stay exact: in Redis with --store, else in the primary process over IPC`;

function readWorkers(text: string | undefined): number {
  if (text === undefined) return 1;
  if (text === 'auto') return availableParallelism();
  if (!/^[1-9]\d*$/.test(text) || Number(text) > 256)
    throw usageError(
      `Failed to read --workers: "${text}" is not a number of processes. Pass a whole number from 1 to 256, or --workers auto for one per core.`,
    );
  return Number(text);
}

/** Reads the flags (and RATE_LIMIT_STORE when --store is absent); a wrong one is a one-line usage error. */
export function readSharedStoreFlags(
  values: { store?: string; 'store-prefix'?: string; 'store-fault'?: string; workers?: string },
  env: Record<string, string | undefined>,
): SharedStoreFlags {
  const fromEnv = env[STORE_ENV]?.trim() || undefined;
  const source = values.store !== undefined ? '--store' : fromEnv !== undefined ? STORE_ENV : undefined;
  const url = values.store ?? fromEnv;
  // `memory` names the default store, so a container can set RATE_LIMIT_STORE=memory explicitly.
  const store = url === undefined || source === undefined || url.trim() === 'memory' ? undefined : { url, source };
  if (store) readRedisUrl(store.url, store.source);
  const fault = values['store-fault'] ?? 'closed';
  if (!STORE_FAULT_MODES.includes(fault as StoreFaultMode))
    throw usageError(
      `Failed to read --store-fault: "${fault}" is not a mode. Pass --store-fault closed (limited requests get 503 while Redis is down) or --store-fault open (served without limits).`,
    );
  const prefix = values['store-prefix'];
  if (prefix !== undefined && (prefix === '' || /\s/.test(prefix)))
    throw usageError(`Failed to read --store-prefix: "${prefix}" is empty or has spaces. Pass a short name that ends the prefix, e.g. --store-prefix staging:`);
  if (store === undefined && (prefix !== undefined || values['store-fault'] !== undefined)) {
    const flag = prefix !== undefined ? '--store-prefix' : '--store-fault';
    throw usageError(
      `Failed to read ${flag}: it applies to a Redis store, and no --store (or ${STORE_ENV}) was given. Pass --store redis://host:port with it, or drop ${flag}.`,
    );
  }
  return { store, prefix, fault: fault as StoreFaultMode, workers: readWorkers(values.workers) };
}

/** Opens the Redis store the flags name (its outages told on `warn`), or none for memory. */
export function openFlagStore(flags: SharedStoreFlags, warn: (line: string) => void): Promise<BudgetStore | undefined> {
  if (!flags.store) return Promise.resolve(undefined);
  return openStoreOption(flags.store.url, { prefix: flags.prefix, fault: flags.fault, source: flags.store.source, log: warn });
}

/** Starts one mock on the store the flags name; a store opened here is closed again if the start fails. */
export async function startOnFlagStore(
  flags: SharedStoreFlags,
  start: (store: BudgetStore | undefined) => Promise<MockServer>,
  warn: (line: string) => void,
): Promise<MockServer> {
  const store = await openFlagStore(flags, warn);
  try {
    return await start(store);
  } catch (error) {
    await store?.close();
    throw error;
  }
}
