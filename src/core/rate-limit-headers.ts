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
  if (names.limit) out.push(names.limit, intText(decision.limit));
  if (names.remaining) out.push(names.remaining, intText(decision.allowed ? decision.remaining : 0));
  if (names.reset) out.push(names.reset, intText(toWholeSeconds(decision.resetMs)));
  if (names.retryAfter && !decision.allowed) out.push(names.retryAfter, intText(toWholeSeconds(decision.retryAfterMs)));
  return out;
}

/** Header values for the small whole numbers most responses carry, made once instead of per response. */
const SMALL_INTS = Array.from({ length: 4096 }, (_, i) => String(i));

/** `String(n)`, from the table when n is a small whole number. */
export function intText(n: number): string {
  return (n >= 0 && n < SMALL_INTS.length ? SMALL_INTS[n] : undefined) ?? String(n);
}

/** The header names a policy may send, lower-case, for stripping them where they must not appear. */
export function headerNameSet(names: HeaderNames): Set<string> {
  return new Set(
    Object.values(names)
      .filter((n): n is string => typeof n === 'string')
      .map((n) => n.toLowerCase()),
  );
}
