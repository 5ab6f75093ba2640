/** Slots per page: 16,384 (a page's numbers take 592 KiB). */
export const PAGE_BITS = 14;
export const PAGE_SIZE = 1 << PAGE_BITS;
export const PAGE_MASK = PAGE_SIZE - 1;

/**
 * One page of store slots, struct-of-arrays. The numbers share one ArrayBuffer per page, so the store
 * grows a page at a time without copying, and every page is the same size: the allocator reuses the
 * pages a sweep frees instead of fragmenting (doubling flat arrays left a second 1M-key flood 30 MB
 * higher than the first, `npm run memory`).
 */
export interface SlotPage {
  keys: Array<string | undefined>;
  /** States that are not two numbers (sliding-window logs); created on first use. */
  objects: unknown[] | undefined;
  hashes: Int32Array;
  /** 0: state in `objects`; 1: fixed window (hits, startMs); 2: token bucket (tokens, updatedMs); 3: sliding log of ≤ 1 entry (time, count). */
  kind: Uint8Array;
  f0: Float64Array;
  f1: Float64Array;
  lastUseMs: Float64Array;
  /** The least-recently-used list, as slot numbers; -1 ends it. */
  prev: Int32Array;
  next: Int32Array;
}

/** A packed (fast-elements) array: `new Array(n)` of a large n would be a slow dictionary array. */
export function packedArray<T>(size: number): Array<T | undefined> {
  const out: Array<T | undefined> = [];
  for (let i = 0; i < size; i += 1) out.push(undefined);
  return out;
}

/** Allocates an empty page. */
export function createSlotPage(): SlotPage {
  const buffer = new ArrayBuffer(PAGE_SIZE * (8 * 3 + 4 * 3 + 1));
  let offset = 0;
  const view = <T>(make: (buffer: ArrayBuffer, offset: number, length: number) => T, bytes: number): T => {
    const out = make(buffer, offset, PAGE_SIZE);
    offset += bytes * PAGE_SIZE;
    return out;
  };
  return {
    keys: packedArray<string>(PAGE_SIZE),
    objects: undefined,
    f0: view((b, o, n) => new Float64Array(b, o, n), 8),
    f1: view((b, o, n) => new Float64Array(b, o, n), 8),
    lastUseMs: view((b, o, n) => new Float64Array(b, o, n), 8),
    hashes: view((b, o, n) => new Int32Array(b, o, n), 4),
    prev: view((b, o, n) => new Int32Array(b, o, n), 4),
    next: view((b, o, n) => new Int32Array(b, o, n), 4),
    kind: view((b, o, n) => new Uint8Array(b, o, n), 1),
  };
}
