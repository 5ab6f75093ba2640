import type { MaybePromise } from '../core/budget-store.js';
import { errorResponse } from './error-responses.js';
import { finish, type Reply } from './reply.js';

/**
 * What a limited request gets while the budget store cannot answer (Redis down or too slow): `closed`
 * (the default), a 503 that says so, so that no client is granted more than the limit; `open`, the
 * operation's answer without rate-limit headers, as @fastify/rate-limit's `skipOnError` serves. Exempt
 * paths never ask the store and are served either way.
 */
export type StoreFaultMode = 'open' | 'closed';

export const STORE_FAULT_MODES: readonly StoreFaultMode[] = ['open', 'closed'];

const UNAVAILABLE = errorResponse(
  503,
  'Failed to reach the budget store, so this request was not counted against its rate limit and is refused (store-fault mode closed). Retry shortly: the mock reconnects on its own.',
);

/** The answer to a limited request whose budget could not be read: `serve` answers as if unlimited (open). */
export function answerStoreFault(mode: StoreFaultMode, r: Reply, serve: () => MaybePromise<Reply>): MaybePromise<Reply> {
  if (mode === 'open') return serve();
  r.remaining = undefined;
  return finish(r, UNAVAILABLE, ['retry-after', '1'], 1);
}
