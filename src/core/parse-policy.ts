import type { ErrorObject } from 'ajv';
import { describeDurationProblem, parseDurationMs, requireDurationMs } from './duration.js';
import { RateLimitContractError } from './errors.js';
import type { Algorithm, HeaderNames, KeyRule, RateLimitPolicy } from './policy.js';
import { validate as validatePolicySchema } from './policy-validator.generated.js';

/** The JSON pointer of the extension inside an OpenAPI document. */
export const POLICY_POINTER = '/x-rate-limit';

/** Runs the ahead-of-time compiled schema validator (scripts/build-policy-validator.mjs, kept in sync by a test). */
function validate(value: unknown): ErrorObject[] {
  const check = validatePolicySchema as ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
  return check(value) ? [] : [...(check.errors ?? [])];
}

/** One problem found in a policy: where (a JSON pointer into the document) and what. */
export interface PolicyProblem {
  pointer: string;
  message: string;
}

function describe(error: ErrorObject): PolicyProblem {
  const pointer = `${POLICY_POINTER}${error.instancePath}`;
  if (error.keyword === 'additionalProperties') {
    return { pointer, message: `has an unknown field "${String(error.params.additionalProperty)}"` };
  }
  if (error.keyword === 'pattern' && error.instancePath.startsWith('/headers/')) {
    return { pointer, message: 'must be a lower-case header name, e.g. x-ratelimit-limit (lint shows the fix)' };
  }
  if (error.keyword === 'enum') {
    return { pointer, message: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
  }
  if (error.keyword === 'pattern' && error.instancePath === '/rejection/contentType') {
    return {
      pointer,
      message:
        'holds a character a header value cannot carry (CR, LF, NUL, another control character, or one beyond U+00FF), so every rejection would fail; remove it',
    };
  }
  if (error.keyword === 'maximum' && error.params.limit === Number.MAX_SAFE_INTEGER) {
    return { pointer, message: 'is too large: at most 9007199254740991 (2^53 - 1); 1e999 and .inf read as Infinity' };
  }
  return { pointer, message: error.message ?? 'is invalid' };
}

/** Lists every schema and semantic problem of a raw `x-rate-limit` value; empty when it is sound. */
export function findPolicyProblems(raw: unknown): PolicyProblem[] {
  if (raw === undefined) return [{ pointer: POLICY_POINTER, message: 'is missing: the spec declares no rate-limit policy' }];
  const problems = validate(raw)
    .filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf')
    .map(describe);
  const window = (raw as { window?: unknown }).window;
  if (typeof window === 'string' && parseDurationMs(window) === undefined) {
    problems.push({ pointer: `${POLICY_POINTER}/window`, message: describeDurationProblem(window) ?? `"${window}" is not a duration` });
  }
  return problems;
}

interface RawPolicy {
  limit: number;
  window: number | string;
  algorithm?: Algorithm;
  key: { by: KeyRule['by']; header?: string; scheme?: string; principal?: string };
  scope?: { include?: string[]; exempt?: string[] };
  headers?: HeaderNames;
  env?: { limit?: string; window?: string };
  rejection: { status?: number; contentType?: string; body: unknown };
}

function toKeyRule(key: RawPolicy['key']): KeyRule {
  if (key.by === 'ip') return { by: 'ip' };
  const header = (key.header ?? '').toLowerCase();
  if (key.by === 'header') return { by: 'header', header, principal: key.principal ?? header, fallback: 'ip' };
  return { by: 'principal', header, scheme: key.scheme, principal: key.principal ?? 'principal', fallback: 'ip' };
}

/**
 * Validates a raw `x-rate-limit` value and resolves it into a policy.
 * @param source the file the value came from, named in errors.
 */
export function parsePolicy(raw: unknown, source: string): RateLimitPolicy {
  const problems = findPolicyProblems(raw);
  const first = problems[0];
  if (first) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more; run \`ratelimit-contract lint ${source}\`)` : '';
    throw new RateLimitContractError(
      'ERR_RLC_POLICY',
      `Failed to load the rate-limit policy: ${source}#${first.pointer} ${first.message}${more}. Fix the x-rate-limit extension as the README's "The x-rate-limit extension" section describes.`,
    );
  }
  const policy = raw as RawPolicy;
  return {
    limit: policy.limit,
    windowMs: typeof policy.window === 'number' ? policy.window : requireDurationMs(policy.window, `${source}#${POLICY_POINTER}/window`),
    algorithm: policy.algorithm ?? 'fixed-window',
    key: toKeyRule(policy.key),
    include: policy.scope?.include ?? ['/**'],
    exempt: policy.scope?.exempt ?? [],
    headers: { ...policy.headers },
    env: { ...policy.env },
    rejection: {
      status: policy.rejection.status ?? 429,
      contentType: policy.rejection.contentType ?? 'application/json; charset=utf-8',
      body: policy.rejection.body,
    },
  };
}

/** Overrides a deployment or a test applies on top of the spec. Flags win over env vars. */
export interface PolicyOverrides {
  limit?: number;
  windowMs?: number;
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
        `Failed to read ${limitVar}: "${limitText}" is not a positive whole number. Set ${limitVar} to e.g. 300, or unset it to use the spec's limit of ${policy.limit}.`,
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

/** The default names that `emitHeaders` adds (the de-facto x-ratelimit-* family). */
export const DEFAULT_HEADER_NAMES: Required<HeaderNames> = {
  limit: 'x-ratelimit-limit',
  remaining: 'x-ratelimit-remaining',
  reset: 'x-ratelimit-reset',
  retryAfter: 'retry-after',
};

/** Applies overrides, in order, over a policy (later wins). */
export function applyOverrides(policy: RateLimitPolicy, ...layers: PolicyOverrides[]): RateLimitPolicy {
  let next = policy;
  for (const layer of layers) {
    const noHeaders = Object.values(next.headers).every((name) => name === undefined);
    next = {
      ...next,
      limit: layer.limit ?? next.limit,
      windowMs: layer.windowMs ?? next.windowMs,
      algorithm: layer.algorithm ?? next.algorithm,
      headers: layer.emitHeaders && noHeaders ? { ...DEFAULT_HEADER_NAMES } : next.headers,
    };
  }
  return next;
}
