import { requireDurationMs } from './duration.js';
import { RateLimitContractError } from './errors.js';
import { DEFAULT_HEADER_NAMES } from './headers/header-names.js';
import type { Algorithm, RateLimitPolicy } from './policy.js';

/** Overrides a deployment or a test applies on top of the spec. Flags win over env vars. */
export interface PolicyOverrides {
  /** The first root limit's limit (ReconLayer's RATE_LIMIT_MAX). */
  limit?: number;
  /** The first root limit's window (ReconLayer's RATE_LIMIT_WINDOW). */
  windowMs?: number;
  /** Every limit's algorithm. */
  algorithm?: Algorithm;
  /** Adds the default x-ratelimit-* and retry-after headers when the policy sends none. */
  emitHeaders?: boolean;
}

const POSITIVE_INTEGER = /^\s*[1-9]\d*\s*$/;

/** Reads the env vars that the policy declares (e.g. RATE_LIMIT_MAX), failing with the var's name on bad values. */
export function readEnvOverrides(policy: RateLimitPolicy, env: Record<string, string | undefined>): PolicyOverrides {
  const overrides: PolicyOverrides = {};
  const limitVar = policy.env.limit;
  const limitText = limitVar ? env[limitVar] : undefined;
  if (limitVar && limitText !== undefined && limitText !== '') {
    if (!POSITIVE_INTEGER.test(limitText) || !Number.isSafeInteger(Number(limitText))) {
      throw new RateLimitContractError(
        'ERR_RLC_ENV',
        `Failed to read ${limitVar}: "${limitText}" is not a positive whole number. Set ${limitVar} to e.g. 300, or unset it to use the spec's limit of ${policy.limits[0]?.limit}.`,
      );
    }
    overrides.limit = Number(limitText);
  }
  const windowVar = policy.env.window;
  const windowText = windowVar ? env[windowVar] : undefined;
  if (windowVar && windowText !== undefined && windowText !== '') {
    overrides.windowMs = requireDurationMs(windowText, `the env var ${windowVar}`);
  }
  return overrides;
}

/** True when the policy sends no budget header at all (Authmatech). */
function sendsNoHeaders(policy: RateLimitPolicy): boolean {
  const { names } = policy.headers;
  const named = [names.limit, names.remaining, names.reset, names.used, names.resource, names.retryAfter];
  return policy.headers.style === 'named' && named.every((n) => n === undefined) && policy.limits.every((l) => l.headers === undefined);
}

/**
 * Applies overrides, in order, over a policy (later wins): `limit` and `windowMs` to the first root limit
 * (an operation's override of it keeps what it sets itself), `algorithm` to every limit.
 */
export function applyOverrides(policy: RateLimitPolicy, ...layers: PolicyOverrides[]): RateLimitPolicy {
  let next = policy;
  for (const layer of layers) {
    const first = next.limits[0];
    const limits = next.limits.map((limit) => ({
      ...limit,
      ...(limit === first && layer.limit !== undefined ? { limit: layer.limit } : {}),
      ...(limit === first && layer.windowMs !== undefined ? { windowMs: layer.windowMs } : {}),
      ...(layer.algorithm === undefined ? {} : { algorithm: layer.algorithm }),
    }));
    const operations =
      layer.algorithm === undefined
        ? next.operations
        : next.operations.map((op) => ({
            ...op,
            limits: op.limits.map((entry) => (entry.algorithm === undefined ? entry : { ...entry, algorithm: layer.algorithm })),
          }));
    const headers = layer.emitHeaders && sendsNoHeaders(next) ? { ...next.headers, names: { ...DEFAULT_HEADER_NAMES } } : next.headers;
    next = { ...next, limits, operations, headers };
  }
  return next;
}
