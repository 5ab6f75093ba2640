/** FNV-1a over UTF-16 code units, as an int32. */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash | 0;
}

/** What the table reads back from the slots it indexes. */
export interface SlotKeys {
  keyAt(slot: number): string | undefined;
  hashAt(slot: number): number;
}

/**
 * An index from string keys to slot numbers: open addressing, linear probing, at most half full, and
 * backward-shift deletion (no tombstones, so a sweep that deletes a million keys leaves it clean).
 * It costs 8 bytes per key at most, against about 30 for a Map entry, and never rehashes on delete.
 */
export function createKeyTable(slots: SlotKeys) {
  let buckets = new Int32Array(2);
  let mask = 1;

  const find = (key: string, hash: number): number => {
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const entry = buckets[at] ?? 0;
      if (entry === 0) return -1;
      if (slots.hashAt(entry - 1) === hash && slots.keyAt(entry - 1) === key) return entry - 1;
    }
  };

  const insert = (slot: number, hash: number): void => {
    let at = hash & mask;
    while ((buckets[at] ?? 0) !== 0) at = (at + 1) & mask;
    buckets[at] = slot + 1;
  };

  const remove = (slot: number, hash: number): void => {
    let hole = hash & mask;
    while ((buckets[hole] ?? 0) !== slot + 1) hole = (hole + 1) & mask;
    for (let scan = (hole + 1) & mask; (buckets[scan] ?? 0) !== 0; scan = (scan + 1) & mask) {
      const home = slots.hashAt((buckets[scan] ?? 1) - 1) & mask;
      // The entry at `scan` may fill the hole unless its home lies cyclically in (hole, scan].
      const stays = hole <= scan ? home > hole && home <= scan : home > hole || home <= scan;
      if (!stays) {
        buckets[hole] = buckets[scan] ?? 0;
        hole = scan;
      }
    }
    buckets[hole] = 0;
  };

  return {
    find,
    insert,
    remove,
    /** Sizes the table for `capacity` keys and re-inserts the given live slots. */
    rebuild(capacity: number, live: Iterable<number>): void {
      const size = 2 ** Math.ceil(Math.log2(Math.max(2, capacity * 2)));
      buckets = new Int32Array(size);
      mask = size - 1;
      for (const slot of live) insert(slot, slots.hashAt(slot));
    },
    get buckets(): number {
      return buckets.length;
    },
  };
}

export type KeyTable = ReturnType<typeof createKeyTable>;
