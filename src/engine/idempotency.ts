import { type Clock, systemClock } from '../core/clock.js';
import type { PreparedResponse } from './prepared-responses.js';
import { sha256Hex } from './sha256.js';

/** What a POST with an Idempotency-Key should do. */
export type IdempotencyVerdict = { kind: 'new' } | { kind: 'replay'; response: PreparedResponse } | { kind: 'mismatch' };

export interface IdempotencyStoreOptions {
  /** The engine's clock: virtual time moves expiry too. Default real time. */
  clock?: Clock;
  /** How long a key is kept after its first use: 24 h by default, as Stripe keeps them. */
  ttlMs?: number;
  /** Keys one owner may hold; past it the owner's own oldest is forgotten. Default 1,000. */
  maxKeysPerOwner?: number;
  /** Keys in all; past it the oldest key of an owner holding the most is forgotten. Default 10,000. */
  maxKeys?: number;
}

interface Entry {
  owner: string;
  key: string;
  bodySha: string;
  response: PreparedResponse;
  createdMs: number;
}

const NEW: IdempotencyVerdict = { kind: 'new' };

/**
 * Remembers the first result for each (owner, Idempotency-Key), the owner being the caller's budget key
 * (organization, client, or IP): a retry with the same body replays it and creates nothing; the same key
 * with another body is refused (ReconLayer: "retry with the same Idempotency-Key and request body").
 * Bounded, so that no owner can evict another's keys: an owner holds at most `maxKeysPerOwner` keys (its
 * own flood forgets its own oldest), and at `maxKeys` in all the oldest key of an owner holding the most
 * goes, never a key of an owner holding fewer. Keys expire `ttlMs` after their first use, on the engine's
 * clock. Transport-free (it also runs in the MSW browser entry): no node module.
 */
export function createIdempotencyStore(options: IdempotencyStoreOptions = {}) {
  const clock = options.clock ?? systemClock;
  const ttlMs = options.ttlMs ?? 86_400_000;
  const maxPerOwner = options.maxKeysPerOwner ?? 1_000;
  const maxKeys = options.maxKeys ?? 10_000;
  /** Every entry, oldest first: expiry sweeps from the front. */
  const all = new Set<Entry>();
  /** Each owner's entries by key, oldest first. */
  const owners = new Map<string, Map<string, Entry>>();
  /** Owners by how many keys they hold, so that the largest is found at once (bySize[n]: owners holding n). */
  const bySize: Array<Set<string>> = [];
  let largest = 0;

  const resize = (owner: string, from: number, to: number) => {
    if (from > 0) bySize[from]?.delete(owner);
    if (to > 0) {
      const bucket = bySize[to] ?? new Set<string>();
      bySize[to] = bucket;
      bucket.add(owner);
    }
    if (to > largest) largest = to;
    while (largest > 0 && (bySize[largest]?.size ?? 0) === 0) largest -= 1;
  };
  const forget = (entry: Entry) => {
    const keys = owners.get(entry.owner);
    if (!keys?.delete(entry.key)) return;
    all.delete(entry);
    resize(entry.owner, keys.size + 1, keys.size);
    if (keys.size === 0) owners.delete(entry.owner);
  };
  const oldestOf = (owner: string | undefined) => (owner === undefined ? undefined : owners.get(owner)?.values().next().value);
  const expired = (entry: Entry, nowMs: number) => nowMs - entry.createdMs >= ttlMs;
  /** Entries are added in clock order, so the expired ones lead (a clock set back only delays their sweep). */
  const sweep = (nowMs: number) => {
    for (const entry of all) {
      if (!expired(entry, nowMs)) return;
      forget(entry);
    }
  };

  return {
    check(owner: string, key: string, body: Uint8Array): IdempotencyVerdict {
      const entry = owners.get(owner)?.get(key);
      if (!entry) return NEW;
      if (expired(entry, clock.now())) {
        forget(entry);
        return NEW;
      }
      return entry.bodySha === sha256Hex(body) ? { kind: 'replay', response: entry.response } : { kind: 'mismatch' };
    },
    remember(owner: string, key: string, body: Uint8Array, response: PreparedResponse): void {
      const nowMs = clock.now();
      sweep(nowMs);
      const existing = owners.get(owner)?.get(key);
      if (existing) forget(existing);
      if ((owners.get(owner)?.size ?? 0) >= maxPerOwner) forget(oldestOf(owner) as Entry);
      if (all.size >= maxKeys) forget(oldestOf(bySize[largest]?.values().next().value) as Entry);
      const entry: Entry = { owner, key, bodySha: sha256Hex(body), response, createdMs: nowMs };
      const keys = owners.get(owner) ?? new Map<string, Entry>();
      owners.set(owner, keys);
      keys.set(key, entry);
      all.add(entry);
      resize(owner, keys.size - 1, keys.size);
    },
    clear() {
      all.clear();
      owners.clear();
      bySize.length = 0;
      largest = 0;
    },
    get size() {
      return all.size;
    },
  };
}

/** The store `createIdempotencyStore` returns. */
export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
