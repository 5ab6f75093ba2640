import { readRetryAfter } from '../core/headers/time-values.js';

/**
 * One request a client sent, as a recorder saw it (the nock helper, or a recording fetch). Times are
 * `Date.now()` readings, so under fake timers they are virtual milliseconds.
 */
export interface RecordedAttempt {
  /** 1-based position in the log. */
  seq: number;
  /** When the request arrived. */
  atMs: number;
  /** When its response was ready (later than `atMs` only with scripted latency or a real network). */
  respondedAtMs: number;
  method: string;
  /** Absolute URL. */
  url: string;
  /** Path and query as sent. */
  path: string;
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
  idempotencyKey?: string;
  /** sha-256 of the request body, hex; absent for an empty body. */
  bodySha256?: string;
  /** The budget the server charged (`organization:org_acme`, `ip:127.0.0.1`); absent when unknown. */
  key?: string;
  /** Where the path stands in the policy; absent when unknown (client-side recording). */
  scope?: 'limited' | 'exempt' | 'unlimited';
  status: number;
  /** Budget left after this request (the header, or what the server counted). */
  remaining?: number;
  /** The `retry-after` the response carried, in seconds. */
  retryAfterSeconds?: number;
  /** The scripted step that answered, e.g. `429 ×3`; absent for the profile's own answer. */
  scripted?: string;
  /**
   * Causal order, when the recorder knows it: one counter of the log ticks at every arrival (`sentOrder`)
   * and every answer (`answeredOrder`), so `b.sentOrder > a.answeredOrder` means b was sent after a was
   * answered. Without them the checks compare times, and a tie at the same millisecond is ambiguous
   * (see docs/client-testing.md, "How attempts are grouped").
   */
  sentOrder?: number;
  answeredOrder?: number;
}

/** Statuses after which a client may retry: timeouts, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * True when `later` was sent after `earlier` was answered. With causal order in the log that is exact;
 * otherwise times decide, and `ties` says how a request sent in the very millisecond of the answer reads.
 */
export function sentAfterAnswer(later: RecordedAttempt, earlier: RecordedAttempt, ties: 'after' | 'concurrent'): boolean {
  if (later.sentOrder !== undefined && earlier.answeredOrder !== undefined) return later.sentOrder > earlier.answeredOrder;
  return ties === 'after' ? later.atMs >= earlier.respondedAtMs : later.atMs > earlier.respondedAtMs;
}

/** The budget an attempt counts against; client-side logs have one budget, named `client`. */
export const budgetOf = (attempt: RecordedAttempt): string => attempt.key ?? 'client';

/** Reads a `retry-after` value (delay-seconds or an HTTP-date, RFC 9110 §10.2.3) as milliseconds. */
export const parseRetryAfterMs = (value: string | null | undefined, nowMs: number): number | undefined => readRetryAfter(value, nowMs);

/** One attempt as a line, its time relative to `firstAtMs`: `#3  +2000ms  GET /v1/x → 429 (retry-after 38 s)`. */
export function formatAttempt(a: RecordedAttempt, firstAtMs: number): string {
  const notes = [
    a.retryAfterSeconds !== undefined ? `retry-after ${a.retryAfterSeconds} s` : '',
    a.remaining !== undefined ? `remaining ${a.remaining}` : '',
    a.idempotencyKey ? `key ${a.idempotencyKey}` : '',
    a.scripted ? `scripted ${a.scripted}` : '',
  ].filter(Boolean);
  return `  #${a.seq}  +${a.atMs - firstAtMs}ms  ${a.method} ${a.path} → ${a.status}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

/** One line per attempt, relative to the first: `#3  +2000ms  GET /v1/x → 429 (retry-after 38 s)`. */
export function formatAttempts(attempts: readonly RecordedAttempt[]): string {
  const first = attempts[0]?.atMs ?? 0;
  return attempts.map((a) => formatAttempt(a, first)).join('\n');
}
