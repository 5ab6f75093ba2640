import type { SingleLimitView } from '../core/single-limit-view.js';
import type { Exchange } from './conformance-check.js';

/**
 * One request a check sent, as reports show it: when (on the budget clock, from the session's start), as
 * whom, what, and the rate-limit headers that came back, read through the policy's header names.
 * Headers are masked before any reporter sees them (see mask-credentials.ts).
 */
export interface RecordedExchange {
  /** When it was sent and answered, in ms since the session opened, on the budget clock (virtual against the mock). */
  sentAtMs: number;
  receivedAtMs: number;
  /** Who sent it, e.g. `org_acme (credential 2 of 2)`. */
  caller: string;
  step?: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  localAddress?: string;
  connection?: 'fresh' | number;
  status: number;
  /** The status is the policy's rejection status (429 for both embedded APIs). */
  rejected: boolean;
  /** The policy's rate-limit headers that came back, by name as the policy spells them. */
  rateLimitHeaders: Record<string, string>;
  /** The policy's remaining header, when it came back as a whole number. */
  remaining?: number;
  /** The policy's reset header in whole seconds, when it came back as one. */
  resetSeconds?: number;
  /** The policy's retry-after header in whole seconds, when it came back as one. */
  retryAfterSeconds?: number;
  /** The shared scenario that sent it (several checks read it), when the check did not send it itself. */
  scenario?: string;
  /** How many requests of the same scenario or check went out just before this one and were left out of the record. */
  omittedBefore?: number;
}

/** The requests a check sent: at most a bounded number, the first ones and the last ones, in the order sent. */
export interface RecordedExchanges {
  items: RecordedExchange[];
  /** How many were sent in all (more than `items.length` when some were left out). */
  total: number;
}

const whole = (text: string | undefined): number | undefined => (text !== undefined && /^\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : undefined);

/** Reads an exchange into a record, with the rate-limit headers named by the policy (nothing else is assumed). */
export function recordExchange(exchange: Exchange, policy: SingleLimitView, originMs: number, scenario?: string): RecordedExchange {
  const { request, response } = exchange;
  const names = policy.headers;
  const rateLimitHeaders: Record<string, string> = {};
  for (const name of [names.limit, names.remaining, names.reset, names.retryAfter]) {
    const value = name === undefined ? undefined : response.headers[name];
    if (name !== undefined && value !== undefined) rateLimitHeaders[name] = value;
  }
  const read = (name: string | undefined) => whole(name === undefined ? undefined : response.headers[name]);
  const record: RecordedExchange = {
    sentAtMs: exchange.sentAtMs - originMs,
    receivedAtMs: exchange.receivedAtMs - originMs,
    caller: exchange.caller,
    method: request.method,
    path: request.path,
    headers: { ...request.headers },
    status: response.status,
    rejected: response.status === policy.rejection.status,
    rateLimitHeaders,
  };
  if (exchange.step !== undefined) record.step = exchange.step;
  if (request.localAddress !== undefined) record.localAddress = request.localAddress;
  if (request.connection !== undefined) record.connection = request.connection;
  const remaining = read(names.remaining);
  if (remaining !== undefined) record.remaining = remaining;
  const reset = read(names.reset);
  if (reset !== undefined) record.resetSeconds = reset;
  const retryAfter = read(names.retryAfter);
  if (retryAfter !== undefined) record.retryAfterSeconds = retryAfter;
  if (scenario !== undefined) record.scenario = scenario;
  return record;
}
