import type { ScopeVerdict } from '../../core/scope.js';
import type { Engine } from '../../engine/create-engine.js';
import type { HandledRequest } from '../request-observers.js';

/** How a request went for its budget: spent and served, refused with the policy's rejection, or never limited. */
export type Outcome = 'accepted' | 'rejected' | 'exempt';

/** One answered request as the dashboard shows it. */
export interface RequestRecord {
  seq: number;
  /** When it was answered, on the engine's clock. */
  atMs: number;
  method: string;
  /** The target as sent, cut at MAX_PATH_CHARS. */
  path: string;
  /** The budget it was charged to; for a request off the limited scope, the key it would have been charged to. */
  key: string;
  scope: ScopeVerdict;
  outcome: Outcome;
  status: number;
  /** Budget left after it; undefined off the limited scope. */
  remaining: number | undefined;
  /** The scripted step that answered it (`429`, `503`, `+500ms`), if any. */
  scripted: string | undefined;
}

/** What the dashboard has seen of one key. */
export interface KeyActivity {
  key: string;
  total: number;
  accepted: number;
  rejected: number;
  exempt: number;
  /** Its latest requests, oldest first. */
  recent: RequestRecord[];
}

/** How much history is kept (and sent to a page that connects): every list is bounded. */
export const HISTORY_LIMITS = {
  /** The latest requests over all keys. */
  requests: 200,
  /** Keys followed, the most recently active first; the least recently active is forgotten past it. */
  keys: 100,
  /** Requests kept per key for its timeline. */
  perKey: 30,
};

/** A target longer than this is cut (bypass tricks send 20 KB paths). */
export const MAX_PATH_CHARS = 300;

const push = <T>(list: T[], item: T, max: number) => {
  list.push(item);
  if (list.length > max) list.shift();
};

/** The record of an answered request (not for control-API calls, which have no reply). */
export function recordOf(engine: Engine, handled: HandledRequest, seq: number): RequestRecord | undefined {
  const { call, reply, status } = handled;
  if (reply === undefined) return undefined;
  const path = engine.classifyUrl(call.url).target.rawPath;
  const limited = reply.scope === 'limited';
  return {
    seq,
    atMs: handled.answeredAtMs,
    method: call.method,
    path: path.length > MAX_PATH_CHARS ? `${path.slice(0, MAX_PATH_CHARS)}…` : path,
    key: reply.key ?? engine.resolveKey(call.headers, call.clientAddress),
    scope: reply.scope,
    outcome: !limited ? 'exempt' : status === engine.policy.rejection.status ? 'rejected' : 'accepted',
    status,
    remaining: reply.remaining,
    scripted: reply.scripted,
  };
}

/** The dashboard's bounded memory of requests: the latest overall, and the latest per recently active key. */
export class RequestHistory {
  #seq = 0;
  readonly #requests: RequestRecord[] = [];
  readonly #keys = new Map<string, KeyActivity>();

  constructor(readonly limits = HISTORY_LIMITS) {}

  /** The next sequence number (records are numbered in the order they were answered). */
  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  /** Adds a record; returns its key's activity. */
  add(record: RequestRecord): KeyActivity {
    push(this.#requests, record, this.limits.requests);
    let activity = this.#keys.get(record.key);
    if (activity === undefined) activity = { key: record.key, total: 0, accepted: 0, rejected: 0, exempt: 0, recent: [] };
    // Re-inserted at the end: the map's order is the keys' order of last activity.
    else this.#keys.delete(record.key);
    this.#keys.set(record.key, activity);
    if (this.#keys.size > this.limits.keys) this.#keys.delete(this.#keys.keys().next().value as string);
    activity.total += 1;
    activity[record.outcome] += 1;
    push(activity.recent, record, this.limits.perKey);
    return activity;
  }

  /** The counts of a key, without its requests. */
  counts(key: string): Omit<KeyActivity, 'recent'> | undefined {
    const activity = this.#keys.get(key);
    if (activity === undefined) return undefined;
    const { recent: _, ...counts } = activity;
    return counts;
  }

  /** Everything kept: each record once (oldest first), and every followed key's counts (most recently active first). */
  snapshot(): { requests: RequestRecord[]; keys: Array<Omit<KeyActivity, 'recent'>> } {
    const bySeq = new Map<number, RequestRecord>();
    for (const record of this.#requests) bySeq.set(record.seq, record);
    const keys: Array<Omit<KeyActivity, 'recent'>> = [];
    for (const { recent, ...counts } of this.#keys.values()) {
      for (const record of recent) bySeq.set(record.seq, record);
      keys.push(counts);
    }
    return { requests: [...bySeq.values()].sort((a, b) => a.seq - b.seq), keys: keys.reverse() };
  }

  clear(): void {
    this.#requests.length = 0;
    this.#keys.clear();
  }
}
