import type { Decision } from './decision.js';
import type { HeaderNames } from './policy.js';

/** Whole seconds, rounded up, as @fastify/rate-limit's ttlInSeconds and RFC 9110 §10.2.3 delay-seconds. */
export const toWholeSeconds = (ms: number): number => Math.ceil(ms / 1000);

/**
 * The rate-limit headers of one response as a flat [name, value, …] list (node's writeHead form).
 * ReconLayer: "x-ratelimit-reset — Seconds until the current window resets"; a 429 "adds a
 * retry-after header (in seconds) indicating when the window resets".
 */
export function rateLimitHeaders(names: HeaderNames, decision: Decision): string[] {
  const out: string[] = [];
  if (names.limit) out.push(names.limit, String(decision.limit));
  if (names.remaining) out.push(names.remaining, String(decision.allowed ? decision.remaining : 0));
  if (names.reset) out.push(names.reset, String(toWholeSeconds(decision.resetMs)));
  if (names.retryAfter && !decision.allowed) out.push(names.retryAfter, String(toWholeSeconds(decision.retryAfterMs)));
  return out;
}

/** The header names a policy may send, lower-case, for stripping them where they must not appear. */
export function headerNameSet(names: HeaderNames): Set<string> {
  return new Set(
    Object.values(names)
      .filter((n): n is string => typeof n === 'string')
      .map((n) => n.toLowerCase()),
  );
}
