import type { RecordedAttempt } from '../client/attempt.js';
import { sha256Hex } from '../engine/sha256.js';

/** What `GET /__ratelimit/attempts` answers. */
export interface AttemptLogSnapshot {
  /** `real` while the budget clock runs, `virtual` while a test holds it (`POST /__ratelimit/clock`). */
  clock: 'real' | 'virtual';
  /** Attempts dropped to keep the log bounded (the oldest first). */
  dropped: number;
  /** In arrival order. */
  attempts: RecordedAttempt[];
}

/** The mock's attempt log: per budget key, bounded. */
export interface AttemptRecorder {
  /** Takes the next seq when a request arrives, so that a slow answer keeps its arrival order. */
  reserve(): number;
  /** Records the answered attempt under its reserved seq. */
  record(seq: number, attempt: Omit<RecordedAttempt, 'seq'>): void;
  /** Every attempt, or one key's, in arrival order. */
  list(key?: string): RecordedAttempt[];
  /** Forgets every attempt, or one key's. */
  clear(key?: string): void;
  readonly dropped: number;
}

/** Bounds of the mock's attempt log. */
export interface AttemptRecorderLimits {
  /** Attempts kept per budget key; older ones are dropped. Default 1000. */
  perKey?: number;
  /** Attempts kept in all; the oldest are dropped. Default 10 000. */
  total?: number;
}

// Requests that resolve to no budget (exempt and unlimited paths) are kept under this name.
const NO_KEY = '';
// Header values that carry secrets are kept as a digest: equal values stay equal (the checks compare
// headers to tell a retry from a changed request), and the log never echoes a credential.
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key)$|token|secret|password/i;

// A client sends the same few credentials again and again: their digests are remembered (at most 1000).
const digests = new Map<string, string>();
function digestOf(value: string): string {
  let digest = digests.get(value);
  if (digest === undefined) {
    if (digests.size >= 1000) digests.clear();
    digest = `sha256:${sha256Hex(new TextEncoder().encode(value)).slice(0, 12)}`;
    digests.set(value, digest);
  }
  return digest;
}

/** Replaces credential header values by `sha256:<12 hex>` of the value. */
export function maskSecretHeaders(headers: Record<string, string>): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) masked[name] = SECRET_HEADER.test(name) ? digestOf(value) : value;
  return masked;
}

// Answers come back in about arrival order; a slow one (a scripted delay) is placed back where it arrived.
function insertBySeq(list: RecordedAttempt[], entry: RecordedAttempt): void {
  let at = list.length;
  while (at > 0 && (list[at - 1] as RecordedAttempt).seq > entry.seq) at -= 1;
  list.splice(at, 0, entry);
}

/**
 * The attempt log the HTTP mock keeps when its control API is on: the nock log's fields, grouped by budget
 * key, bounded per key and in all (the oldest go first, and are counted).
 */
export function createAttemptRecorder(limits: AttemptRecorderLimits = {}): AttemptRecorder {
  const perKey = limits.perKey ?? 1000;
  const total = limits.total ?? 10_000;
  const byKey = new Map<string, RecordedAttempt[]>();
  // Every kept attempt in arrival order, to drop the oldest of all; entries no longer kept are skipped.
  let order: RecordedAttempt[] = [];
  const kept = new Set<RecordedAttempt>();
  let dropped = 0;
  let nextSeq = 1;
  const dropOldestOf = (key: string) => {
    const list = byKey.get(key);
    const oldest = list?.shift();
    if (!oldest) return;
    if (list?.length === 0) byKey.delete(key);
    kept.delete(oldest);
    dropped += 1;
  };
  return {
    reserve: () => nextSeq++,
    record(seq, attempt) {
      const entry: RecordedAttempt = { seq, ...attempt };
      const key = entry.key ?? NO_KEY;
      const list = byKey.get(key) ?? [];
      if (list.length === 0) byKey.set(key, list);
      insertBySeq(list, entry);
      insertBySeq(order, entry);
      kept.add(entry);
      if (list.length > perKey) dropOldestOf(key);
      while (kept.size > total) {
        const oldest = order.shift() as RecordedAttempt;
        if (kept.has(oldest)) dropOldestOf(oldest.key ?? NO_KEY);
      }
      if (order.length > 2 * total) order = order.filter((a) => kept.has(a));
    },
    list(key) {
      if (key !== undefined) return [...(byKey.get(key) ?? [])];
      return [...byKey.values()].flat().sort((a, b) => a.seq - b.seq);
    },
    clear(key) {
      if (key === undefined) {
        kept.clear();
        byKey.clear();
        order = [];
        return;
      }
      for (const attempt of byKey.get(key) ?? []) kept.delete(attempt);
      byKey.delete(key);
      order = order.filter((a) => kept.has(a));
    },
    get dropped() {
      return dropped;
    },
  };
}
