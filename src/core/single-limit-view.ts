import { RATELIMIT_LIMIT, RATELIMIT_REMAINING, RATELIMIT_RESET } from './headers/ietf-fields.js';
import type { Algorithm, KeyRule, LimitPolicy, RateLimitPolicy } from './policy.js';

/**
 * The policy as one limit with plain-number headers: the first root limit, and only the headers read as
 * whole numbers of units and seconds. It is what the conformance suite checks today; the suite's checks
 * per limit, per operation and per header style replace it (issue 11's verify part).
 */
export interface SingleLimitView {
  /** The limit's name (`default` in the one-limit shape). */
  name: string;
  limit: number;
  windowMs: number;
  algorithm: Algorithm;
  key: KeyRule;
  include: string[];
  exempt: string[];
  /** Header names whose values are whole numbers (limit, remaining) or whole seconds (reset, retry-after). */
  headers: { limit?: string; remaining?: string; reset?: string; retryAfter?: string };
  env: { limit?: string; window?: string };
  rejection: { status: number; contentType: string; body: unknown };
  /** The whole policy. */
  policy: RateLimitPolicy;
  /** What the view leaves out, one phrase each (empty for a one-limit policy with seconds headers). */
  unchecked: string[];
}

/** The one-limit view of a policy. */
export function singleLimitView(policy: RateLimitPolicy): SingleLimitView {
  const first = policy.limits[0] as LimitPolicy;
  const { style, names, resetFormat, retryAfterFormat } = policy.headers;
  const unchecked: string[] = [];
  if (policy.limits.length > 1)
    unchecked.push(
      `the limits after the first (${policy.limits
        .slice(1)
        .map((l) => l.name)
        .join(', ')})`,
    );
  if (policy.operations.length > 0) unchecked.push(`the limits of ${policy.operations.length} operation(s)`);
  if (first.fallbackLimit !== undefined) unchecked.push('the fallbackLimit of unauthenticated callers');
  if (first.cost !== 1 || first.unit !== 'requests') unchecked.push('costs other than one request');
  if (first.bucket === 'operation') unchecked.push('budgets per operation');
  if (style !== 'named' && style !== 'draft-6') unchecked.push(`the ${style} RateLimit fields`);
  if (resetFormat !== 'seconds') unchecked.push(`a reset sent as ${resetFormat}`);
  if (retryAfterFormat !== 'seconds') unchecked.push('a retry-after sent as an HTTP-date');
  if (policy.stacking !== 'atomic') unchecked.push('in-order stacking');
  const own = first.headers;
  const headers: SingleLimitView['headers'] = {};
  if (first.report) {
    if (style === 'named') {
      headers.limit = own?.limit ?? names.limit;
      headers.remaining = own?.remaining ?? names.remaining;
      if (resetFormat === 'seconds') headers.reset = own?.reset ?? names.reset;
    } else if (style === 'draft-6') {
      Object.assign(headers, { limit: RATELIMIT_LIMIT, remaining: RATELIMIT_REMAINING, reset: RATELIMIT_RESET });
    }
  }
  if (names.retryAfter && retryAfterFormat === 'seconds' && first.rejection.retryAfter) headers.retryAfter = names.retryAfter;
  for (const name of ['limit', 'remaining', 'reset'] as const) if (headers[name] === undefined) delete headers[name];
  const { status, contentType, body } = first.rejection;
  return {
    name: first.name,
    limit: first.limit,
    windowMs: first.windowMs,
    algorithm: first.algorithm,
    key: first.key,
    include: policy.include,
    exempt: policy.exempt,
    headers,
    env: policy.env,
    rejection: { status, contentType, body },
    policy,
    unchecked,
  };
}
