import { ALGORITHMS } from '../core/algorithms/index.js';
import type { SlidingWindowState } from '../core/algorithms/sliding-window.js';
import type { BudgetEntry, BudgetStore, StoreRule } from '../core/budget-store.js';
import { type Clock, systemClock } from '../core/clock.js';
import { consumeEntries } from '../core/consume-entries.js';
import type { Decision } from '../core/decision.js';
import { createKeyTable, hashKey } from './key-table.js';
import { createSlotPage, PAGE_BITS, PAGE_MASK, PAGE_SIZE, packedArray, type SlotPage } from './slot-pages.js';

/** Options of the in-process store. */
export interface MemoryStoreOptions {
  /** Most keys kept at once; past it the least recently used key is evicted. */
  maxKeys?: number;
  /** How often expired keys are swept (real time). A sweep runs in slices and never blocks the loop for long. */
  sweepIntervalMs?: number;
  clock?: Clock;
}

/** Default cap: 1,000,000 keys take about 90 MB (docs/hardening.md, `npm run memory`). */
export const DEFAULT_MAX_KEYS = 1_000_000;

/** The memory store's extras: live size, slots allocated (memory held) and a full synchronous sweep. */
export interface MemoryStore extends BudgetStore {
  readonly size: number;
  /** Slots allocated; it grows a page at a time and shrinks once a sweep leaves it mostly empty. */
  readonly capacity: number;
  /** Drops every expired key now and returns how many were dropped. */
  sweep(): number;
}

const NONE = -1;
/** Keys a background sweep drops per event-loop turn (about a millisecond of work). */
const SWEEP_SLICE = 4096;
const OBJECT = 0;
const FIXED_WINDOW = 1;
const TOKEN_BUCKET = 2;
/** A sliding-window log of at most one entry, inline (f0: its time, f1: 1, or 0 when empty). */
const SLIDING_SMALL = 3;

/** A private flat copy, so a stored key never pins the request header it was sliced from. */
const ownCopy = (key: string): string => (key.length < 13 ? key : (JSON.parse(JSON.stringify(key)) as string));

/**
 * The default store, sized for floods. Keys map to slots through an open-addressing table; a slot's
 * state sits in typed arrays (a fixed-window or token-bucket state is two numbers, and so is a sliding
 * log of one entry, so such a key costs no object; longer sliding logs are rings, see sliding-window.ts); slots form a doubly linked list in least-recently-used order, and the cap evicts its head.
 * Every algorithm's state stops limiting one window after its last use (a fixed window started before
 * it, a token bucket refills within a window, a sliding log's newest entry is that use), so with the
 * longest window of the rules seen, expired keys are a prefix of the list: a sweep drops from the head until the first live key, SWEEP_SLICE keys
 * per event-loop turn, then gives pages back once they are mostly empty.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxKeys = Math.max(1, Math.floor(options.maxKeys ?? DEFAULT_MAX_KEYS));
  const clock = options.clock ?? systemClock;
  let pages: SlotPage[] = [];
  let head = NONE;
  let tail = NONE;
  let freeHead = NONE;
  let used = 0;
  /** Slots below it are live or on the free list; slots from it up were never handed out. */
  let highWater = 0;
  /** The longest window of any rule seen: a key unused for that long limits nothing any more. */
  let maxWindowMs = 0;

  const pageOf = (slot: number) => pages[slot >>> PAGE_BITS] as SlotPage;
  const keyAt = (slot: number) => pageOf(slot).keys[slot & PAGE_MASK];
  const hashAt = (slot: number) => pageOf(slot).hashes[slot & PAGE_MASK] ?? 0;
  const nextOf = (slot: number) => pageOf(slot).next[slot & PAGE_MASK] ?? NONE;
  const prevOf = (slot: number) => pageOf(slot).prev[slot & PAGE_MASK] ?? NONE;
  const setNext = (slot: number, to: number) => {
    pageOf(slot).next[slot & PAGE_MASK] = to;
  };
  const setPrev = (slot: number, to: number) => {
    pageOf(slot).prev[slot & PAGE_MASK] = to;
  };
  const lastUseOf = (slot: number) => pageOf(slot).lastUseMs[slot & PAGE_MASK] ?? 0;
  const table = createKeyTable({ keyAt, hashAt });

  function* live(): Generator<number> {
    for (let slot = head; slot !== NONE; slot = nextOf(slot)) yield slot;
  }

  function unlink(slot: number): void {
    const p = prevOf(slot);
    const n = nextOf(slot);
    if (p === NONE) head = n;
    else setNext(p, n);
    if (n === NONE) tail = p;
    else setPrev(n, p);
  }

  function append(slot: number): void {
    setPrev(slot, tail);
    setNext(slot, NONE);
    if (tail === NONE) head = slot;
    else setNext(tail, slot);
    tail = slot;
  }

  function remove(slot: number): void {
    table.remove(slot, hashAt(slot));
    unlink(slot);
    const page = pageOf(slot);
    page.keys[slot & PAGE_MASK] = undefined;
    if (page.objects) page.objects[slot & PAGE_MASK] = undefined;
    setNext(slot, freeHead);
    freeHead = slot;
    used -= 1;
  }

  function add(key: string, hash: number): number {
    if (used >= maxKeys && head !== NONE) remove(head);
    let slot = freeHead;
    if (slot !== NONE) freeHead = nextOf(slot);
    else {
      slot = highWater;
      highWater += 1;
      if (slot >= pages.length * PAGE_SIZE) {
        pages.push(createSlotPage());
        if (pages.length * PAGE_SIZE * 2 > table.buckets) table.rebuild(pages.length * PAGE_SIZE, live());
      }
    }
    const page = pageOf(slot);
    page.keys[slot & PAGE_MASK] = key;
    page.hashes[slot & PAGE_MASK] = hash;
    table.insert(slot, hash);
    append(slot);
    used += 1;
    return slot;
  }

  function read(slot: number): unknown {
    const page = pageOf(slot);
    const i = slot & PAGE_MASK;
    if (page.kind[i] === FIXED_WINDOW) return { hits: page.f0[i] ?? 0, startMs: page.f1[i] ?? 0 };
    if (page.kind[i] === TOKEN_BUCKET) return { tokens: page.f0[i] ?? 0, updatedMs: page.f1[i] ?? 0 };
    if (page.kind[i] === SLIDING_SMALL) return { times: [page.f0[i] ?? 0], head: 0, count: page.f1[i] ?? 0 };
    return page.objects?.[i];
  }

  function write(slot: number, rule: StoreRule, state: unknown, nowMs: number): void {
    const page = pageOf(slot);
    const i = slot & PAGE_MASK;
    page.lastUseMs[i] = nowMs;
    if (rule.algorithm === 'fixed-window') {
      const s = state as { hits: number; startMs: number };
      page.kind[i] = FIXED_WINDOW;
      page.f0[i] = s.hits;
      page.f1[i] = s.startMs;
    } else if (rule.algorithm === 'token-bucket') {
      const s = state as { tokens: number; updatedMs: number };
      page.kind[i] = TOKEN_BUCKET;
      page.f0[i] = s.tokens;
      page.f1[i] = s.updatedMs;
    } else if (rule.algorithm === 'sliding-window' && (state as SlidingWindowState).count <= 1) {
      // Most keys of a flood send once per window: their log is one number, kept inline, with no object.
      const s = state as SlidingWindowState;
      page.kind[i] = SLIDING_SMALL;
      page.f0[i] = s.count === 0 ? 0 : (s.times[s.head] ?? 0);
      page.f1[i] = s.count;
      if (page.objects) page.objects[i] = undefined;
    } else {
      page.objects ??= packedArray<unknown>(PAGE_SIZE);
      page.kind[i] = OBJECT;
      page.objects[i] = state;
    }
  }

  /** Copies the live slots, in LRU order, into as few fresh pages as hold them, and drops the rest. */
  function compact(): void {
    const count = Math.max(1, Math.ceil(used / PAGE_SIZE));
    if (count >= pages.length) return;
    const old = pages;
    const oldPage = (slot: number) => old[slot >>> PAGE_BITS] as SlotPage;
    const order = [...live()];
    pages = Array.from({ length: count }, createSlotPage);
    head = NONE;
    tail = NONE;
    order.forEach((from, to) => {
      const a = oldPage(from);
      const b = pageOf(to);
      const i = from & PAGE_MASK;
      const j = to & PAGE_MASK;
      b.keys[j] = a.keys[i];
      b.hashes[j] = a.hashes[i] ?? 0;
      b.kind[j] = a.kind[i] ?? OBJECT;
      b.f0[j] = a.f0[i] ?? 0;
      b.f1[j] = a.f1[i] ?? 0;
      b.lastUseMs[j] = a.lastUseMs[i] ?? 0;
      if (a.objects) {
        b.objects ??= packedArray<unknown>(PAGE_SIZE);
        b.objects[j] = a.objects[i];
      }
      append(to);
    });
    freeHead = NONE;
    highWater = used;
    table.rebuild(count * PAGE_SIZE, live());
  }

  /** Drops expired keys from the LRU head, at most `max`; done once it reaches a live key or empties. */
  function sweepSlice(max: number): { removed: number; done: boolean } {
    if (maxWindowMs === 0) return { removed: 0, done: true };
    const nowMs = clock.now();
    let removed = 0;
    while (head !== NONE && removed < max) {
      if (lastUseOf(head) + maxWindowMs > nowMs) return { removed, done: true };
      remove(head);
      removed += 1;
    }
    return { removed, done: head === NONE };
  }

  const shrinkIfSparse = () => {
    if (pages.length > 1 && used < (pages.length * PAGE_SIZE) / 4) compact();
  };

  const sweep = (): number => {
    const { removed } = sweepSlice(Number.POSITIVE_INFINITY);
    shrinkIfSparse();
    return removed;
  };

  /** The running background sweep's number, 0 when none runs; clear() and close() cancel it. */
  let sweeping = 0;
  let sweeps = 0;
  const sweepInBackground = () => {
    if (sweeping !== 0) return;
    sweeps += 1;
    const run = sweeps;
    sweeping = run;
    const step = () => {
      if (sweeping !== run) return;
      if (sweepSlice(SWEEP_SLICE).done) {
        sweeping = 0;
        shrinkIfSparse();
      } else setImmediate(step).unref();
    };
    step();
  };
  const timer = setInterval(sweepInBackground, options.sweepIntervalMs ?? 5_000);
  timer.unref();

  /** Marks a slot used now: the tail of the LRU list, and a last use the sweep keeps it for. */
  function touch(slot: number, nowMs: number): void {
    if (slot !== tail) {
      unlink(slot);
      append(slot);
    }
    pageOf(slot).lastUseMs[slot & PAGE_MASK] = nowMs;
  }

  /** Spends `cost` of one key when it fits; a rejection stores nothing and only marks the key used. */
  function consumeOne(entry: BudgetEntry, nowMs: number): Decision {
    const { key, rule } = entry;
    if (rule.windowMs > maxWindowMs) maxWindowMs = rule.windowMs;
    const hash = hashKey(key);
    let slot = table.find(key, hash);
    const { state, decision } = ALGORITHMS[rule.algorithm].consume(slot === NONE ? undefined : read(slot), rule, nowMs, entry.cost);
    if (state === undefined) {
      if (slot !== NONE) touch(slot, nowMs);
      return decision;
    }
    if (slot === NONE) slot = add(ownCopy(key), hash);
    else if (slot !== tail) {
      unlink(slot);
      append(slot);
    }
    write(slot, rule, state, nowMs);
    return decision;
  }

  function peekOne(entry: BudgetEntry, nowMs: number): Decision {
    const slot = table.find(entry.key, hashKey(entry.key));
    return ALGORITHMS[entry.rule.algorithm].peek(slot === NONE ? undefined : read(slot), entry.rule, nowMs, entry.cost);
  }

  const step = {
    consume: consumeOne,
    peek: peekOne,
    touch(entry: BudgetEntry, nowMs: number) {
      const slot = table.find(entry.key, hashKey(entry.key));
      if (slot !== NONE) touch(slot, nowMs);
    },
  };

  function clear(): void {
    sweeping = 0;
    pages = [];
    head = NONE;
    tail = NONE;
    freeHead = NONE;
    used = 0;
    highWater = 0;
    table.rebuild(0, []);
  }
  clear();

  return {
    consume: (entries, nowMs, stacking) =>
      entries.length === 1 ? [consumeOne(entries[0] as BudgetEntry, nowMs)] : consumeEntries(entries, nowMs, stacking, step),
    peek: (entries, nowMs) => entries.map((entry) => peekOne(entry, nowMs)),
    resetKey: async (key) => {
      const slot = table.find(key, hashKey(key));
      if (slot !== NONE) remove(slot);
    },
    resetAll: async () => clear(),
    /** The `max` most recently used keys, newest first, without copying the rest. */
    keys: async (max) => {
      const out: string[] = [];
      for (let slot = tail; slot !== NONE && out.length < max; slot = prevOf(slot)) out.push(keyAt(slot) as string);
      return out;
    },
    close: async () => {
      sweeping = 0;
      clearInterval(timer);
    },
    get size() {
      return used;
    },
    get capacity() {
      return pages.length * PAGE_SIZE;
    },
    sweep,
  };
}
