import type { Decision } from './decision.js';
import { formatDurationLong } from './duration.js';
import { toWholeSeconds } from './headers/whole-numbers.js';
import type { LimitPolicy } from './policy.js';

const PLACEHOLDER = /\{(after|window|limit|retryAfterSeconds|name)\}/g;

function fill(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(PLACEHOLDER, (_, name: string) => values[name] ?? '');
  if (Array.isArray(value)) return value.map((item) => fill(item, values));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, values)]));
  return value;
}

/** The whole seconds a rejection body's `{after}` speaks of: until a retry is allowed, else until the reset. */
export const rejectionSeconds = (decision: Pick<Decision, 'retryAfterMs' | 'resetMs'>): number => toWholeSeconds(decision.retryAfterMs || decision.resetMs);

/**
 * Builds the rejection body writer of a limit. `{after}` is the time left worded as @fastify/rate-limit
 * does (`format(ttlInSeconds * 1000, true)`): "38 seconds", "1 minute"; `{limit}` is the limit that
 * applied (a fallbackLimit for an unauthenticated caller); `{name}` the limit's name. A body without
 * placeholders is serialized once. The text is sent as UTF-8.
 */
export function createRejectionBody(policy: Pick<LimitPolicy, 'rejection' | 'windowMs' | 'name'>): (decision: Decision) => string {
  const { body } = policy.rejection;
  const serialize = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  if (!JSON.stringify(body ?? null).match(PLACEHOLDER)) {
    const fixed = serialize(body);
    return () => fixed;
  }
  return (decision) => {
    const seconds = rejectionSeconds(decision);
    return serialize(
      fill(body, {
        after: formatDurationLong(seconds * 1000),
        window: formatDurationLong(policy.windowMs),
        limit: String(decision.limit),
        retryAfterSeconds: String(seconds),
        name: policy.name,
      }),
    );
  };
}
