import type { HeaderFormat } from '../policy.js';
import { parseDurationText } from './duration-text.js';
import { RATELIMIT, RATELIMIT_REMAINING } from './ietf-fields.js';
import { type HeaderGetter, type HeaderReading, readRateLimitHeaders } from './read-headers.js';
import { readWholeNumber } from './whole-numbers.js';

const format = (style: HeaderFormat['style'], names: HeaderFormat['names'] = {}, resetFormat: HeaderFormat['resetFormat'] = 'seconds'): HeaderFormat => ({
  style,
  names: { retryAfter: 'retry-after', ...names },
  resetFormat,
  retryAfterFormat: 'seconds',
  partitionKey: false,
});

/** Epoch seconds are past 2001-09-09; no window resets that far ahead. */
const EPOCH_FLOOR_SECONDS = 1_000_000_000;

/** The form of an x-ratelimit-reset value: a duration (`6m0s`), epoch seconds (GitHub), or seconds until. */
function resetFormatOf(value: string | undefined): HeaderFormat['resetFormat'] {
  if (value === undefined) return 'seconds';
  const n = readWholeNumber(value);
  if (n !== undefined) return n >= EPOCH_FLOOR_SECONDS ? 'epoch-seconds' : 'seconds';
  return parseDurationText(value) !== undefined ? 'duration' : 'seconds';
}

/**
 * Reads the rate-limit headers of a response when no policy says which they are, the way the reference
 * clients do by default: IETF `RateLimit` (draft-8/12 Lists, else draft-7's Dictionary), draft-6's
 * `RateLimit-Remaining` (also @fastify/rate-limit's `enableDraftSpec`), `x-ratelimit-*` with the reset
 * as seconds, epoch seconds or a duration, OpenAI's `x-ratelimit-remaining-requests`/`-tokens`, and
 * `retry-after`. A spec's own names (`x-quota-*`) need the policy: readRateLimitHeaders.
 */
export function detectRateLimitHeaders(get: HeaderGetter, nowMs: number): HeaderReading {
  const ratelimit = get(RATELIMIT);
  if (ratelimit !== undefined) {
    const named = readRateLimitHeaders({ headers: format('draft-12'), limits: [] }, get, nowMs);
    if (named.limits.length > 0) return named;
    const draft7 = readRateLimitHeaders({ headers: format('draft-7'), limits: [] }, get, nowMs);
    if (draft7.limits.length > 0) return draft7;
  }
  if (get(RATELIMIT_REMAINING) !== undefined) return readRateLimitHeaders({ headers: format('draft-6'), limits: [] }, get, nowMs);
  if (get('x-ratelimit-remaining') !== undefined || get('x-ratelimit-reset') !== undefined) {
    const names = {
      limit: 'x-ratelimit-limit',
      remaining: 'x-ratelimit-remaining',
      reset: 'x-ratelimit-reset',
      used: 'x-ratelimit-used',
      resource: 'x-ratelimit-resource',
    };
    return readRateLimitHeaders({ headers: format('named', names, resetFormatOf(get('x-ratelimit-reset'))), limits: [] }, get, nowMs);
  }
  const perLimit = ['requests', 'tokens'].filter((unit) => get(`x-ratelimit-remaining-${unit}`) !== undefined);
  if (perLimit.length > 0) {
    const limits = perLimit.map((unit) => ({
      name: unit,
      unit,
      report: true,
      windowMs: 0,
      headers: { limit: `x-ratelimit-limit-${unit}`, remaining: `x-ratelimit-remaining-${unit}`, reset: `x-ratelimit-reset-${unit}` },
    }));
    const reading = readRateLimitHeaders({ headers: format('named', {}, resetFormatOf(get(`x-ratelimit-reset-${perLimit[0]}`))), limits }, get, nowMs);
    for (const limit of reading.limits) limit.windowMs = undefined;
    return reading;
  }
  return readRateLimitHeaders({ headers: format('named'), limits: [] }, get, nowMs);
}
