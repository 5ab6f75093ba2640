import { headerGetter } from '../../core/headers/header-getter.js';
import { type HeaderProblem, type HeaderReading, type LimitReading, readRateLimitHeaders } from '../../core/headers/read-headers.js';
import type { HeaderFormat, LimitPolicy } from '../../core/policy.js';

/** A response's rate-limit headers, read as the policy declares them and matched to the limits of its operation. */
export interface LimitReports {
  /** Each limit that reports under a name of its own (draft-8/12 items, a limit's own `named` headers), by its index. */
  own: Map<number, LimitReading>;
  /** The one set of headers several limits share (shared `named` names, draft-6, draft-7), if it was sent. */
  shared?: LimitReading;
  /** draft-6/7 RateLimit-Policy members, draft-8/12 ones are matched with their items. */
  policies: HeaderReading['policies'];
  /** Names reported that are none of the operation's limits. */
  strangers: LimitReading[];
  /** Names reported more than once. */
  repeated: string[];
  retryAfterMs?: number;
  problems: HeaderProblem[];
}

/** Whether the style reports each limit under its own name (draft-8/12) rather than one shared set. */
export const reportsByName = (format: HeaderFormat): boolean => format.style === 'draft-8' || format.style === 'draft-12';

/** Whether the `named` style's shared names send anything besides retry-after. */
export const hasSharedNames = (format: HeaderFormat): boolean => {
  const { limit, remaining, reset, used, resource } = format.names;
  return Boolean(limit || remaining || reset || used || resource);
};

/**
 * Reads the rate-limit headers of a response with the header module's read side, as the policy declares
 * them, and matches what they report to `limits` (those of the operation, in order).
 */
export function readLimitReports(format: HeaderFormat, limits: readonly LimitPolicy[], headers: Record<string, string>, nowMs: number): LimitReports {
  const get = headerGetter(headers);
  const reports: LimitReports = { own: new Map(), policies: [], strangers: [], repeated: [], problems: [] };
  const indexOf = (name: string | undefined) => (name === undefined ? -1 : limits.findIndex((l) => l.name === name));
  const place = (reading: LimitReading, index: number) => {
    if (index === -1) reports.strangers.push(reading);
    else if (reports.own.has(index)) reports.repeated.push(reading.name ?? '');
    else reports.own.set(index, reading);
  };
  if (format.style === 'named') {
    // The shared names and each limit's own names are read apart, so that each reading is known for what it is.
    const shared = readRateLimitHeaders({ headers: format, limits: [] }, get, nowMs);
    if (hasSharedNames(format)) reports.shared = shared.limits[0];
    const ownLimits = limits.filter((l) => l.report && l.headers);
    const own = readRateLimitHeaders({ headers: { ...format, names: {} }, limits: ownLimits }, get, nowMs);
    for (const reading of own.limits) place(reading, indexOf(reading.name));
    reports.retryAfterMs = shared.retryAfterMs;
    reports.problems.push(...shared.problems, ...own.problems);
    return reports;
  }
  const reading = readRateLimitHeaders({ headers: format, limits }, get, nowMs);
  reports.retryAfterMs = reading.retryAfterMs;
  reports.problems.push(...reading.problems);
  reports.policies = reading.policies;
  if (reportsByName(format)) for (const item of reading.limits) place(item, indexOf(item.name));
  else reports.shared = reading.limits[0];
  return reports;
}

/** Reads the same headers with another reset format (to tell what a reset that does not fit reads as). */
export function readAs(
  format: HeaderFormat,
  resetFormat: HeaderFormat['resetFormat'],
  limits: readonly LimitPolicy[],
  headers: Record<string, string>,
  nowMs: number,
) {
  return readLimitReports({ ...format, resetFormat }, limits, headers, nowMs);
}
