import type { HeaderReading, LimitReading } from './read-headers.js';

/** The budget signal a client acts on: the limit closest to running out, and the wait a rejection asked for. */
export interface BudgetSummary {
  /** The name of the limit the numbers are of, when the response says it. */
  name?: string;
  limit?: number;
  remaining?: number;
  resetMs?: number;
  retryAfterMs?: number;
}

/**
 * The tightest limit of a reading (the least remaining, or the least share remaining when units differ;
 * the same rule as the write side's) with the retry-after. What attempt logs record as `remaining`.
 */
export function summariseReading(reading: HeaderReading): BudgetSummary {
  const known = reading.limits.filter((l): l is LimitReading & { remaining: number } => l.remaining !== undefined);
  const mixed = new Set(known.map((l) => l.unit ?? 'requests')).size > 1;
  const value = (l: LimitReading & { remaining: number }) => (mixed && l.limit ? l.remaining / l.limit : l.remaining);
  let tightest: (LimitReading & { remaining: number }) | undefined;
  for (const l of known) if (tightest === undefined || value(l) < value(tightest)) tightest = l;
  const pick = tightest ?? reading.limits[0];
  return { name: pick?.name, limit: pick?.limit, remaining: pick?.remaining, resetMs: pick?.resetMs, retryAfterMs: reading.retryAfterMs };
}
