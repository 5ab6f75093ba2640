import type { MaybePromise, RecordStore } from '../core/budget-store.js';
import type { IdempotencyStore } from './idempotency.js';
import type { PreparedResponse } from './prepared-responses.js';
import { sha256Hex } from './sha256.js';

/** What a POST with an Idempotency-Key gets: its own first answer (`new`), a replay, or a refusal (another body). */
export type IdempotencyClaim = { kind: 'new'; response: PreparedResponse } | { kind: 'replay'; response: PreparedResponse } | { kind: 'mismatch' };

/**
 * Where the engine keeps idempotency records: in this process (createIdempotencyStore), or in a shared
 * store beside the budgets (Redis, the primary of `--workers`), so that a retry landing on another replica
 * replays the first answer.
 */
export interface IdempotencyRecords {
  /**
   * One step: if (owner, key) has a record, a replay (same body) or a mismatch (another body); else
   * `create()`'s response is recorded as the first answer and comes back as `new`.
   */
  claim(owner: string, key: string, body: Uint8Array, create: () => PreparedResponse): MaybePromise<IdempotencyClaim>;
  /** Forgets every record. */
  clear(): MaybePromise<void>;
}

/** Records in this process: synchronous, so an idempotent POST on the memory store costs no promise. */
export function localIdempotencyRecords(store: IdempotencyStore): IdempotencyRecords {
  return {
    claim(owner, key, body, create) {
      const verdict = store.check(owner, key, body);
      if (verdict.kind !== 'new') return verdict;
      const response = create();
      store.remember(owner, key, body, response);
      return { kind: 'new', response };
    },
    clear: () => store.clear(),
  };
}

/** A record as a shared store keeps it: the body's SHA-256 and the response, as JSON text. */
interface StoredRecord {
  sha: string;
  status: number;
  headers: string[];
  body: string;
}

/**
 * Records in a shared store: the response is created first (a replay then discards it) so that keeping it
 * is one atomic store call, whichever replica two retries land on.
 */
export function sharedIdempotencyRecords(store: RecordStore): IdempotencyRecords {
  return {
    async claim(owner, key, body, create) {
      const response = create();
      const sha = sha256Hex(body);
      const mine: StoredRecord = { sha, status: response.status, headers: response.headers, body: response.body };
      const found = await store.putIfAbsent(owner, key, JSON.stringify(mine));
      if (found === undefined) return { kind: 'new', response };
      const first = JSON.parse(found) as StoredRecord;
      if (first.sha !== sha) return { kind: 'mismatch' };
      return { kind: 'replay', response: { status: first.status, headers: first.headers, body: first.body, json: undefined } };
    },
    clear: () => store.clear(),
  };
}
