import type { BudgetStore } from '../core/budget-store.js';
import type { StoreFaultMode } from '../engine/store-fault.js';
import type { StoreOutage } from '../store/store-outage.js';

/** How an outage reads in the log: what happened, and what limited requests get meanwhile. */
export function describeOutage(event: StoreOutage, label: string, mode: StoreFaultMode): string {
  if (event.kind === 'up') return `ratelimit-contract: budget store ${label} answers again; limits apply as it kept them`;
  const meanwhile = mode === 'open' ? 'limited requests are served without limits (store-fault open)' : 'limited requests get 503 (store-fault closed)';
  return `ratelimit-contract: budget store ${label} is unreachable (${event.reason}): ${meanwhile} until it answers; reconnecting`;
}

/**
 * The mock's `store` option: a store object as given; a URL opened as the Redis store (ioredis loads only
 * then), its outages told to `log` once each; none: undefined, and the engine keeps budgets in memory.
 * `source` names where a URL came from in errors (`--store`, `RATE_LIMIT_STORE`, the store option).
 */
export async function openStoreOption(
  store: BudgetStore | string | undefined,
  options: { prefix?: string; fault?: StoreFaultMode; source?: string; log: (line: string) => void },
): Promise<BudgetStore | undefined> {
  if (store === undefined || typeof store !== 'string') return store;
  if (store.trim() === 'memory') return undefined;
  const { openRedisStore } = await import('../store/redis-store.js');
  let label = store;
  const opened = await openRedisStore({
    url: store,
    prefix: options.prefix,
    source: options.source,
    onOutage: (event) => options.log(describeOutage(event, label, options.fault ?? 'closed')),
  });
  label = opened.label;
  return opened;
}
