import type { Decision } from '../decision.js';
import type { LimitPolicy } from '../policy.js';

/**
 * The limit a single set of headers reports when several apply: the one that rejected the request, else
 * the one closest to running out. Limits of one unit compare by what remains (the draft-6 text: "reply
 * with the RateLimit headers related to the window with the lower RateLimit-Remaining values"); limits
 * of different units (requests and tokens) by the share that remains. Ties go to the first declared.
 */
export function tightestIndex(candidates: readonly number[], limits: readonly LimitPolicy[], decisions: readonly Decision[], rejectedAt?: number): number {
  if (rejectedAt !== undefined && candidates.includes(rejectedAt)) return rejectedAt;
  const first = candidates[0] ?? 0;
  if (candidates.length === 1) return first;
  const unit = limits[first]?.unit;
  const byShare = candidates.some((i) => limits[i]?.unit !== unit);
  let best = first;
  let bestValue = Number.POSITIVE_INFINITY;
  for (const i of candidates) {
    const d = decisions[i];
    if (!d) continue;
    const value = byShare ? d.remaining / Math.max(1, d.limit) : d.remaining;
    if (value < bestValue) {
      best = i;
      bestValue = value;
    }
  }
  return best;
}
