import { createHash } from 'node:crypto';
import type { PreparedResponse } from './prepared-responses.js';

/** What a POST with an Idempotency-Key should do. */
export type IdempotencyVerdict = { kind: 'new' } | { kind: 'replay'; response: PreparedResponse } | { kind: 'mismatch' };

/**
 * Remembers the first result for each (key owner, Idempotency-Key): a retry with the same body replays
 * it and creates nothing; the same key with another body is refused (ReconLayer: "retry with the same
 * Idempotency-Key and request body"). Bounded: oldest keys are forgotten past `maxKeys`.
 */
export function createIdempotencyStore(maxKeys = 10_000) {
  const entries = new Map<string, { bodySha: string; response: PreparedResponse }>();
  const hash = (body: Buffer) => createHash('sha256').update(body).digest('hex');
  return {
    check(owner: string, key: string, body: Buffer): IdempotencyVerdict {
      const entry = entries.get(`${owner}\n${key}`);
      if (!entry) return { kind: 'new' };
      return entry.bodySha === hash(body) ? { kind: 'replay', response: entry.response } : { kind: 'mismatch' };
    },
    remember(owner: string, key: string, body: Buffer, response: PreparedResponse): void {
      if (entries.size >= maxKeys) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(`${owner}\n${key}`, { bodySha: hash(body), response });
    },
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}
