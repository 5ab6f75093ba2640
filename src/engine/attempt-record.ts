import type { RecordedAttempt } from '../client/attempt.js';
import type { Reply } from './reply.js';
import { sha256Hex } from './sha256.js';

/** A request as an attempt log keeps it: where it went, what it carried, and when. */
export interface AttemptCall {
  method: string;
  /** Absolute URL. */
  url: string;
  /** Path and query as sent, below the API's base URL. */
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * The attempt a reply answered, as `assertRetryLog` reads it: times on the engine's clock (virtual under
 * fake timers), the budget key and scope, the budget left, the retry-after and the scripted step. One
 * construction for every transport that keeps an attempt log.
 */
export function attemptRecord(call: AttemptCall, reply: Reply, atMs: number, respondedAtMs: number): Omit<RecordedAttempt, 'seq'> {
  return {
    atMs,
    respondedAtMs,
    method: call.method,
    url: call.url,
    path: call.path,
    headers: call.headers,
    idempotencyKey: call.headers['idempotency-key'],
    bodySha256: call.body.length > 0 ? sha256Hex(call.body) : undefined,
    key: reply.key,
    scope: reply.scope,
    status: reply.response.status,
    remaining: reply.remaining,
    retryAfterSeconds: reply.retryAfterSeconds,
    scripted: reply.scripted,
  };
}
