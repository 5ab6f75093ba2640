import type { HeaderFormat, HeaderNames, LimitPolicy } from '../policy.js';
import { RATELIMIT, RATELIMIT_LIMIT, RATELIMIT_POLICY, RATELIMIT_REMAINING, RATELIMIT_RESET } from './ietf-fields.js';

/** The default names that `emitHeaders` adds (the de-facto x-ratelimit-* family, seconds until the reset). */
export const DEFAULT_HEADER_NAMES: Required<Pick<HeaderNames, 'limit' | 'remaining' | 'reset' | 'retryAfter'>> = {
  limit: 'x-ratelimit-limit',
  remaining: 'x-ratelimit-remaining',
  reset: 'x-ratelimit-reset',
  retryAfter: 'retry-after',
};

/** The headers a limited response may carry, by role, for the limits that apply to it. */
export interface SentHeaderNames {
  /** On every limited response (the budget headers). */
  budget: string[];
  /** On a rejection only (retry-after). */
  rejection: string[];
}

const NAME_KEYS = ['limit', 'remaining', 'reset', 'used', 'resource'] as const;

/**
 * The headers a format writes for some limits (the write side's own list: lint asks the spec to declare
 * them, the engine strips their rendered examples, exempt routes must carry none). Each name appears once.
 */
export function sentHeaderNames(format: HeaderFormat, limits: readonly Pick<LimitPolicy, 'report' | 'headers' | 'rejection'>[]): SentHeaderNames {
  const reporting = limits.filter((l) => l.report);
  const budget = new Set<string>();
  if (reporting.length > 0) {
    if (format.style === 'named') {
      if (reporting.some((l) => !l.headers)) for (const key of NAME_KEYS) if (format.names[key]) budget.add(format.names[key]);
      for (const l of reporting) for (const key of NAME_KEYS) if (key !== 'resource' && l.headers?.[key]) budget.add(l.headers[key]);
    } else if (format.style === 'draft-6') {
      for (const name of [RATELIMIT_POLICY, RATELIMIT_LIMIT, RATELIMIT_REMAINING, RATELIMIT_RESET]) budget.add(name);
    } else {
      budget.add(RATELIMIT);
      budget.add(RATELIMIT_POLICY);
    }
  }
  const retryAfter = format.names.retryAfter;
  return { budget: [...budget], rejection: retryAfter && limits.some((l) => l.rejection.retryAfter) ? [retryAfter] : [] };
}

/** Every header name a policy may send anywhere, lower case (to strip rendered examples of them). */
export function allSentHeaderNames(format: HeaderFormat, limits: readonly Pick<LimitPolicy, 'report' | 'headers' | 'rejection'>[]): Set<string> {
  const { budget, rejection } = sentHeaderNames(format, limits);
  return new Set([...budget, ...rejection].map((name) => name.toLowerCase()));
}
