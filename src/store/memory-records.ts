import type { RecordStore } from '../core/budget-store.js';
import { type Clock, systemClock } from '../core/clock.js';
import { RECORD_TTL_MS, RECORDS_PER_OWNER } from './redis-records.js';

/** Records in all, past which the oldest goes. */
const MAX_RECORDS = 10_000;

interface Kept {
  owner: string;
  key: string;
  record: string;
  createdMs: number;
}

/**
 * Idempotency records in one process, for the workers of `mock --workers` (the primary keeps them): the
 * Redis store's rules, in a Map. A record lives RECORD_TTL_MS on the clock; an owner holds at most
 * RECORDS_PER_OWNER (its oldest goes first), and MAX_RECORDS in all.
 */
export function createMemoryRecords(clock: Clock = systemClock): RecordStore {
  /** Every record, oldest first. */
  const all = new Map<string, Kept>();
  const owners = new Map<string, Set<string>>();
  const idOf = (owner: string, key: string) => `${owner.length}:${owner}:${key}`;
  const forget = (id: string) => {
    const kept = all.get(id);
    if (!kept) return;
    all.delete(id);
    const mine = owners.get(kept.owner);
    mine?.delete(id);
    if (mine?.size === 0) owners.delete(kept.owner);
  };
  return {
    async putIfAbsent(owner, key, record) {
      const nowMs = clock.now();
      const id = idOf(owner, key);
      const found = all.get(id);
      if (found && nowMs - found.createdMs < RECORD_TTL_MS) return found.record;
      forget(id);
      const held = owners.get(owner);
      if (held && held.size >= RECORDS_PER_OWNER) forget(held.values().next().value as string);
      if (all.size >= MAX_RECORDS) forget(all.keys().next().value as string);
      all.set(id, { owner, key, record, createdMs: nowMs });
      const mine = owners.get(owner) ?? new Set<string>();
      mine.add(id);
      owners.set(owner, mine);
      return undefined;
    },
    async clear() {
      all.clear();
      owners.clear();
    },
  };
}
