import type { HeaderFormat, HeaderNames, LimitPolicy } from '../policy.js';
import {
  FieldSyntaxError,
  parseDraft7,
  parsePolicies,
  parseServiceLimits,
  type QuotaPolicyItem,
  RATELIMIT,
  RATELIMIT_LIMIT,
  RATELIMIT_POLICY,
  RATELIMIT_REMAINING,
  RATELIMIT_RESET,
} from './ietf-fields.js';
import { readReset, readRetryAfter } from './time-values.js';
import { readWholeNumber } from './whole-numbers.js';

/** One limit a response reported: what it says, each part absent when the response does not say it. */
export interface LimitReading {
  /** The limit's name: a draft-8/12 policy name, the `resource` header's value, or the limit whose own headers these are. */
  name?: string;
  limit?: number;
  remaining?: number;
  /** Time until the reset, in milliseconds from when the response was read. */
  resetMs?: number;
  used?: number;
  /** From RateLimit-Policy's `w`, when it names the same policy (or there is one). */
  windowMs?: number;
  unit?: string;
}

/** A header that did not read as its declared style says it must. */
export interface HeaderProblem {
  header: string;
  value: string;
  message: string;
}

/** Everything the rate-limit headers of one response say, read as the policy declares them. */
export interface HeaderReading {
  limits: LimitReading[];
  /** RateLimit-Policy's members (IETF styles). */
  policies: QuotaPolicyItem[];
  retryAfterMs?: number;
  problems: HeaderProblem[];
}

/** Reads a header by lower-case name: fetch's `Headers.get`, a node headers object, a flat list (see headerGetter). */
export type HeaderGetter = (name: string) => string | undefined;

/** What the read side needs of a policy: its header format and the limits that may report. */
export interface HeaderSource {
  headers: HeaderFormat;
  limits: readonly Pick<LimitPolicy, 'name' | 'headers' | 'report' | 'unit' | 'windowMs'>[];
}

function namedReading(
  get: HeaderGetter,
  names: HeaderNames,
  format: HeaderFormat,
  nowMs: number,
  problems: HeaderProblem[],
  name?: string,
): LimitReading | undefined {
  const number = (header: string | undefined) => {
    if (!header) return undefined;
    const value = get(header);
    if (value === undefined) return undefined;
    const n = readWholeNumber(value);
    if (n === undefined) problems.push({ header, value, message: 'is not a whole number' });
    return n;
  };
  const reading: LimitReading = { name };
  reading.limit = number(names.limit);
  reading.remaining = number(names.remaining);
  reading.used = number(names.used);
  if (names.reset) {
    const value = get(names.reset);
    if (value !== undefined) {
      reading.resetMs = readReset(format.resetFormat, value, nowMs);
      if (reading.resetMs === undefined) problems.push({ header: names.reset, value, message: `is not a reset in ${format.resetFormat}` });
    }
  }
  if (names.resource) reading.name = get(names.resource) ?? name;
  const said = reading.limit !== undefined || reading.remaining !== undefined || reading.resetMs !== undefined || reading.used !== undefined;
  return said ? reading : undefined;
}

function attempt<T>(header: string, value: string | undefined, problems: HeaderProblem[], read: (text: string) => T): T | undefined {
  if (value === undefined) return undefined;
  try {
    return read(value);
  } catch (error) {
    if (!(error instanceof FieldSyntaxError)) throw error;
    problems.push({ header, value, message: error.message });
    return undefined;
  }
}

function ietfReading(get: HeaderGetter, format: HeaderFormat, nowMs: number, out: HeaderReading): void {
  const { problems } = out;
  const named = format.style === 'draft-8' || format.style === 'draft-12';
  const policies = attempt(RATELIMIT_POLICY, get(RATELIMIT_POLICY), problems, (text) => parsePolicies(text, named));
  out.policies = policies?.items ?? [];
  if (policies?.tokenNames)
    problems.push({
      header: RATELIMIT_POLICY,
      value: get(RATELIMIT_POLICY) ?? '',
      message: 'names a policy with a Token; the draft asks for a String ("name")',
    });
  const windowOf = (name: string | undefined) => {
    const item = name === undefined ? (out.policies.length === 1 ? out.policies[0] : undefined) : out.policies.find((p) => p.name === name);
    return item?.windowSeconds === undefined ? undefined : item.windowSeconds * 1000;
  };
  if (named) {
    const limits = attempt(RATELIMIT, get(RATELIMIT), problems, parseServiceLimits);
    if (limits?.tokenNames)
      problems.push({ header: RATELIMIT, value: get(RATELIMIT) ?? '', message: 'names a policy with a Token; the draft asks for a String ("name")' });
    for (const item of limits?.items ?? []) {
      const policy = out.policies.find((p) => p.name === item.name);
      out.limits.push({
        name: item.name,
        limit: policy?.quota,
        remaining: item.remaining,
        resetMs: item.resetSeconds === undefined ? undefined : item.resetSeconds * 1000,
        windowMs: windowOf(item.name),
        unit: policy?.unit,
      });
    }
    return;
  }
  if (format.style === 'draft-7') {
    const field = attempt(RATELIMIT, get(RATELIMIT), problems, parseDraft7);
    if (field)
      out.limits.push({
        limit: field.limit,
        remaining: field.remaining,
        resetMs: field.resetSeconds === undefined ? undefined : field.resetSeconds * 1000,
        windowMs: windowOf(undefined),
      });
    return;
  }
  const draft6: HeaderFormat = { ...format, names: { limit: RATELIMIT_LIMIT, remaining: RATELIMIT_REMAINING, reset: RATELIMIT_RESET }, resetFormat: 'seconds' };
  const reading = namedReading(get, draft6.names, draft6, nowMs, problems);
  if (reading) out.limits.push({ ...reading, windowMs: windowOf(undefined) });
}

/**
 * Reads a response's rate-limit headers as a policy declares them (the one read side: the conformance
 * suite, the reference clients, the attempt logs). Values that do not parse are left out and named in
 * `problems`; nothing throws.
 * @example readRateLimitHeaders(policy, headerGetter(response.headers), Date.now()).limits[0]?.remaining
 */
export function readRateLimitHeaders(source: HeaderSource, get: HeaderGetter, nowMs: number): HeaderReading {
  const format = source.headers;
  const out: HeaderReading = { limits: [], policies: [], problems: [] };
  if (format.style === 'named') {
    const shared = namedReading(get, format.names, format, nowMs, out.problems);
    if (shared) out.limits.push(shared);
    for (const limit of source.limits) {
      if (!limit.report || !limit.headers) continue;
      const own = namedReading(get, limit.headers, format, nowMs, out.problems, limit.name);
      if (own) out.limits.push({ ...own, unit: limit.unit, windowMs: limit.windowMs });
    }
  } else {
    ietfReading(get, format, nowMs, out);
  }
  const retryAfter = format.names.retryAfter ? get(format.names.retryAfter) : undefined;
  if (retryAfter !== undefined) {
    out.retryAfterMs = readRetryAfter(retryAfter, nowMs);
    if (out.retryAfterMs === undefined)
      out.problems.push({ header: format.names.retryAfter as string, value: retryAfter, message: 'is neither delay-seconds nor an HTTP-date' });
  }
  return out;
}
