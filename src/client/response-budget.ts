import { detectRateLimitHeaders } from '../core/headers/detect-headers.js';
import { type AnyHeaders, headerGetter } from '../core/headers/header-getter.js';
import { type HeaderReading, readRateLimitHeaders } from '../core/headers/read-headers.js';
import type { HeaderFormat, LimitPolicy, OperationPolicy } from '../core/policy.js';

/**
 * What the reference clients read of a spec's policy: its header format and limits (the policy of
 * `api.policy`, `loadRateLimitPolicy(file)`, or `parseSpecPolicy`). Without one they read the common
 * header families (see detectRateLimitHeaders).
 */
export interface ClientPolicy {
  headers: HeaderFormat;
  limits: readonly LimitPolicy[];
  operations?: readonly OperationPolicy[];
}

/**
 * The rate-limit headers of a response as the client reads them: as the policy declares them, or, without
 * one, the common families (x-ratelimit-*, the IETF RateLimit fields, retry-after).
 * @example readResponseBudget(res.headers, api.policy, Date.now()).limits[0]?.remaining
 */
export function readResponseBudget(headers: AnyHeaders, policy: ClientPolicy | undefined, nowMs: number): HeaderReading {
  const get = headerGetter(headers);
  return policy ? readRateLimitHeaders(policy, get, nowMs) : detectRateLimitHeaders(get, nowMs);
}

/** The statuses a policy rejects with (429 unless a limit says otherwise, e.g. GitHub's 403). */
export function rejectionStatuses(policy: ClientPolicy | undefined): Set<number> {
  const out = new Set<number>([429]);
  if (!policy) return out;
  out.clear();
  for (const limit of policy.limits) out.add(limit.rejection.status);
  for (const op of policy.operations ?? []) for (const limit of op.limits) if (limit.rejection) out.add(limit.rejection.status);
  return out;
}

/**
 * Whether an answer is a rate-limit rejection: a 429, or another status the policy rejects with (GitHub's
 * 403) that says so: a retry-after, or a reported budget at 0. A 403 for want of permission is neither.
 */
export function isRateLimited(status: number, reading: HeaderReading, policy: ClientPolicy | undefined): boolean {
  if (status === 429) return true;
  if (!rejectionStatuses(policy).has(status)) return false;
  return reading.retryAfterMs !== undefined || reading.limits.some((l) => l.remaining === 0);
}

/**
 * How long a rejection asks the client to wait: its retry-after, else (GitHub's primary limit: "wait until
 * the time specified by x-ratelimit-reset") the reset of a budget reported at 0. Undefined when it says neither.
 */
export function rejectionWaitMs(reading: HeaderReading): number | undefined {
  if (reading.retryAfterMs !== undefined) return reading.retryAfterMs;
  const spent = reading.limits.filter((l) => l.remaining === 0 && l.resetMs !== undefined).map((l) => l.resetMs as number);
  return spent.length > 0 ? Math.max(...spent) : undefined;
}
