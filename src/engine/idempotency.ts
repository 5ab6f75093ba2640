import type { PreparedResponse } from './prepared-responses.js';
import { sha256Hex } from './sha256.js';

/** What a POST with an Idempotency-Key should do. */
export type IdempotencyVerdict = { kind: 'new' } | { kind: 'replay'; response: PreparedResponse } | { kind: 'mismatch' };

/**
 * Remembers the first result for each (owner, Idempotency-Key), the owner being the caller's budget key
 * (organization, client, or IP): a retry with the same body replays it and creates nothing; the same key
 * with another body is refused (ReconLayer: "retry with the same Idempotency-Key and request body").
 * Bounded: oldest keys are forgotten past `maxKeys`.
 */
export function createIdempotencyStore(maxKeys = 10_000) {
  const entries = new Map<string, { bodySha: string; response: PreparedResponse }>();
  return {
    check(owner: string, key: string, body: Uint8Array): IdempotencyVerdict {
      const entry = entries.get(`${owner}\n${key}`);
      if (!entry) return { kind: 'new' };
      return entry.bodySha === sha256Hex(body) ? { kind: 'replay', response: entry.response } : { kind: 'mismatch' };
    },
    remember(owner: string, key: string, body: Uint8Array, response: PreparedResponse): void {
      if (entries.size >= maxKeys) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(`${owner}\n${key}`, { bodySha: sha256Hex(body), response });
    },
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}

/** The store `createIdempotencyStore` returns. */
export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
