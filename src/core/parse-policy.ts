import type { ErrorObject } from 'ajv';
import { describeDurationProblem, parseDurationMs, requireDurationMs } from './duration.js';
import { RateLimitContractError } from './errors.js';
import type { Algorithm, Cost, HeaderFormat, HeaderNames, KeyRule, LimitPolicy, RateLimitPolicy, Rejection, Stacking } from './policy.js';
import { validateOperation as validateOperationSchema, validate as validatePolicySchema } from './policy-validator.generated.js';

/** The JSON pointer of the extension inside an OpenAPI document. */
export const POLICY_POINTER = '/x-rate-limit';

/** The name of the one limit of a policy written in the one-limit shape (limit, window, key at the root). */
export const DEFAULT_LIMIT_NAME = 'default';

type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** Runs an ahead-of-time compiled schema validator (scripts/build-policy-validator.mjs, kept in sync by a test). */
function validate(check: unknown, value: unknown): ErrorObject[] {
  const run = check as Validator;
  return run(value) ? [] : [...(run.errors ?? [])];
}

/** One problem found in a policy: where (a JSON pointer into the document) and what. */
export interface PolicyProblem {
  pointer: string;
  message: string;
}

function describe(error: ErrorObject, base: string): PolicyProblem {
  const pointer = `${base}${error.instancePath}`;
  const path = error.instancePath;
  if (error.keyword === 'additionalProperties') {
    return { pointer, message: `has an unknown field "${String(error.params.additionalProperty)}"` };
  }
  if (error.keyword === 'pattern' && /\/headers\/[^/]+$/.test(path)) {
    return { pointer, message: 'must be a lower-case header name, e.g. x-ratelimit-limit (lint shows the fix)' };
  }
  if (error.keyword === 'enum') {
    return { pointer, message: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
  }
  if (error.keyword === 'pattern' && path.endsWith('/rejection/contentType')) {
    return {
      pointer,
      message:
        'holds a character a header value cannot carry (CR, LF, NUL, another control character, or one beyond U+00FF), so every rejection would fail; remove it',
    };
  }
  if (error.keyword === 'pattern' && path.endsWith('/key/principal'))
    return { pointer, message: 'must not be "ip": budgets keyed by IP are named ip:<address>' };
  if (error.keyword === 'not' && path === '') {
    return { pointer, message: 'has both one limit at the root (limit, window, fallbackLimit, cost or unit) and `limits`; move them into `limits`' };
  }
  if (error.keyword === 'maximum' && error.params.limit === Number.MAX_SAFE_INTEGER) {
    return { pointer, message: 'is too large: at most 9007199254740991 (2^53 - 1); 1e999 and .inf read as Infinity' };
  }
  return { pointer, message: error.message ?? 'is invalid' };
}

/** Problems the schema cannot see: windows that are not durations, names used twice, headers the style does not send. */
function semanticProblems(raw: Record<string, unknown>, base: string, root: RawRoot | undefined): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const windowProblem = (value: unknown, pointer: string) => {
    if (typeof value === 'string' && parseDurationMs(value) === undefined)
      problems.push({ pointer, message: describeDurationProblem(value) ?? `"${value}" is not a duration` });
  };
  windowProblem(raw.window, `${base}/window`);
  const limits = Array.isArray(raw.limits) ? (raw.limits as RawLimit[]) : [];
  const seen = new Set<string>();
  const style = (root ?? (raw as unknown as RawRoot)).headers?.style ?? 'named';
  const rootNames = new Set((Array.isArray(root?.limits) ? root.limits : []).map((l) => l.name));
  const defaultKey = (root ?? (raw as unknown as RawRoot)).key;
  limits.forEach((limit, i) => {
    const at = `${base}/limits/${i}`;
    windowProblem(limit.window, `${at}/window`);
    if (seen.has(limit.name)) problems.push({ pointer: `${at}/name`, message: `"${limit.name}" names two limits; give each a name of its own` });
    seen.add(limit.name);
    if (limit.headers && style !== 'named')
      problems.push({ pointer: `${at}/headers`, message: `names headers of its own, but headers.style ${style} writes the draft's fields; remove it` });
    const isNew = root === undefined || !rootNames.has(limit.name);
    if (isNew && root !== undefined && (limit.limit === undefined || limit.window === undefined)) {
      problems.push({ pointer: at, message: `adds the limit "${limit.name}", which the root does not have, so it needs limit and window` });
    }
    if (isNew && root === undefined && !limit.key && !defaultKey)
      problems.push({ pointer: at, message: `has no key: give the limit a key, or set key at the root (x-rate-limit/key)` });
    const key = limit.key ?? defaultKey;
    if (limit.fallbackLimit !== undefined && key?.by === 'ip')
      problems.push({ pointer: `${at}/fallbackLimit`, message: 'applies to requests that fall back to the IP, but the key is the IP already; remove it' });
  });
  if (root === undefined) {
    const headers = (raw as unknown as RawRoot).headers;
    if (headers && style !== 'named') {
      for (const name of ['limit', 'remaining', 'reset', 'used', 'resource'] as const) {
        if (headers[name] !== undefined)
          problems.push({
            pointer: `${base}/headers/${name}`,
            message: `is a named header, but style ${style} writes the draft's fields (RateLimit…); remove it, or set style: named`,
          });
      }
      if (headers.resetFormat !== undefined && headers.resetFormat !== 'seconds')
        problems.push({ pointer: `${base}/headers/resetFormat`, message: `must be seconds with style ${style} (the drafts send delay-seconds)` });
    }
    if (headers?.partitionKey && style !== 'draft-8' && style !== 'draft-12')
      problems.push({ pointer: `${base}/headers/partitionKey`, message: 'applies to style draft-8 or draft-12 only' });
    const key = (raw as unknown as RawRoot).key;
    if ((raw as unknown as RawRoot).fallbackLimit !== undefined && key?.by === 'ip')
      problems.push({ pointer: `${base}/fallbackLimit`, message: 'applies to requests that fall back to the IP, but the key is the IP already; remove it' });
  }
  return problems;
}

/** Lists every schema and semantic problem of a raw root `x-rate-limit` value; empty when it is sound. */
export function findPolicyProblems(raw: unknown): PolicyProblem[] {
  if (raw === undefined) return [{ pointer: POLICY_POINTER, message: 'is missing: the spec declares no rate-limit policy' }];
  const problems = validate(validatePolicySchema, raw)
    .filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf')
    .map((e) => describe(e, POLICY_POINTER));
  if (problems.length > 0 || typeof raw !== 'object' || raw === null) return problems;
  return semanticProblems(raw as Record<string, unknown>, POLICY_POINTER, undefined);
}

/**
 * Lists every problem of an operation's own `x-rate-limit` (at `pointer`), given the root's raw value
 * (a limit it overrides by name needs only the fields it changes).
 */
export function findOperationPolicyProblems(raw: unknown, pointer: string, root: unknown): PolicyProblem[] {
  const problems = validate(validateOperationSchema, raw)
    .filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf')
    .map((e) => describe(e, pointer));
  if (problems.length > 0) return problems;
  return semanticProblems(raw as Record<string, unknown>, pointer, rootOf(root));
}

type RawKey = { by: KeyRule['by']; header?: string; scheme?: string; principal?: string };
type RawRejection = { status?: number; contentType?: string; body?: unknown; retryAfter?: boolean };
type RawCost = number | { body?: string; query?: string; header?: string; default?: number };

interface RawLimit {
  name: string;
  limit?: number;
  window?: number | string;
  algorithm?: Algorithm;
  key?: RawKey;
  fallbackLimit?: number;
  cost?: RawCost;
  unit?: string;
  bucket?: 'shared' | 'operation';
  report?: boolean;
  headers?: HeaderNames;
  rejection?: RawRejection;
}

interface RawRoot extends Omit<RawLimit, 'name'> {
  limits?: RawLimit[];
  stacking?: Stacking;
  scope?: { include?: string[]; exempt?: string[] };
  headers?: HeaderNames & Partial<Omit<HeaderFormat, 'names'>>;
  env?: { limit?: string; window?: string };
  rejection: RawRejection & { body: unknown };
}

/** The one limit of the root's one-limit shape, as a `limits` entry. */
const oneLimitOf = (raw: RawRoot): RawLimit => {
  const { limit, window, algorithm, key, fallbackLimit, cost, unit } = raw;
  return { name: DEFAULT_LIMIT_NAME, limit, window, algorithm, key, fallbackLimit, cost, unit };
};

const rootOf = (root: unknown): RawRoot => {
  const raw = (typeof root === 'object' && root !== null ? root : {}) as RawRoot;
  return raw.limits ? raw : { ...raw, limits: [oneLimitOf(raw)] };
};

function toKeyRule(key: RawKey): KeyRule {
  if (key.by === 'ip') return { by: 'ip' };
  const header = (key.header ?? '').toLowerCase();
  if (key.by === 'header') return { by: 'header', header, principal: key.principal ?? header, fallback: 'ip' };
  return { by: 'principal', header, scheme: key.scheme, principal: key.principal ?? 'principal', fallback: 'ip' };
}

/** A raw cost as the model keeps it (header names lower case). */
export function toCost(raw: RawCost): Cost {
  if (typeof raw === 'number') return raw;
  const fallback = raw.default ?? 1;
  if (raw.body !== undefined) return { from: 'body', name: raw.body, default: fallback };
  if (raw.query !== undefined) return { from: 'query', name: raw.query, default: fallback };
  return { from: 'header', name: (raw.header ?? '').toLowerCase(), default: fallback };
}

function toRejection(raw: RawRejection, base?: Rejection): Rejection {
  return {
    status: raw.status ?? base?.status ?? 429,
    contentType: raw.contentType ?? base?.contentType ?? 'application/json; charset=utf-8',
    body: 'body' in raw ? raw.body : base?.body,
    retryAfter: raw.retryAfter ?? base?.retryAfter ?? true,
  };
}

const windowOf = (window: number | string, where: string) => (typeof window === 'number' ? window : requireDurationMs(window, where));

/** The fields a limit entry sets, resolved; only those given (an override changes only them). */
export function limitFields(raw: Partial<RawLimit>, where: string, rejection: Rejection): Partial<LimitPolicy> {
  const out: Partial<LimitPolicy> = {};
  if (raw.limit !== undefined) out.limit = raw.limit;
  if (raw.window !== undefined) out.windowMs = windowOf(raw.window, `${where}/window`);
  if (raw.algorithm !== undefined) out.algorithm = raw.algorithm;
  if (raw.key !== undefined) out.key = toKeyRule(raw.key);
  if (raw.fallbackLimit !== undefined) out.fallbackLimit = raw.fallbackLimit;
  if (raw.cost !== undefined) out.cost = toCost(raw.cost);
  if (raw.unit !== undefined) out.unit = raw.unit;
  if (raw.bucket !== undefined) out.bucket = raw.bucket;
  if (raw.report !== undefined) out.report = raw.report;
  if (raw.headers !== undefined) out.headers = { ...raw.headers };
  if (raw.rejection !== undefined) out.rejection = toRejection(raw.rejection, rejection);
  return out;
}

/** A complete limit: its own fields over the defaults (the root's key and algorithm, cost 1, the root's rejection). */
export function completeLimit(
  name: string,
  fields: Partial<LimitPolicy>,
  defaults: { key?: KeyRule; algorithm?: Algorithm; rejection: Rejection },
): LimitPolicy {
  return {
    name,
    limit: fields.limit ?? 1,
    windowMs: fields.windowMs ?? 1,
    algorithm: fields.algorithm ?? defaults.algorithm ?? 'fixed-window',
    key: fields.key ?? defaults.key ?? { by: 'ip' },
    ...(fields.fallbackLimit === undefined ? {} : { fallbackLimit: fields.fallbackLimit }),
    cost: fields.cost ?? 1,
    unit: fields.unit ?? 'requests',
    bucket: fields.bucket ?? 'shared',
    report: fields.report ?? true,
    ...(fields.headers === undefined ? {} : { headers: fields.headers }),
    rejection: fields.rejection ?? defaults.rejection,
  };
}

function failed(source: string, problems: PolicyProblem[]): RateLimitContractError {
  const [first] = problems;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more; run \`ratelimit-contract lint ${source}\`)` : '';
  return new RateLimitContractError(
    'ERR_RLC_POLICY',
    `Failed to load the rate-limit policy: ${source}#${first?.pointer} ${first?.message}${more}. Fix the x-rate-limit extension as docs/x-rate-limit.md describes.`,
  );
}

/**
 * Validates a raw root `x-rate-limit` value and resolves it into a policy (without per-operation parts;
 * parseSpecPolicy adds those). Both shapes are read: one limit at the root (named `default`), or `limits`.
 * @param source the file the value came from, named in errors.
 */
export function parsePolicy(raw: unknown, source: string): RateLimitPolicy {
  const problems = findPolicyProblems(raw);
  if (problems.length > 0) throw failed(source, problems);
  const policy = raw as RawRoot;
  const rejection = toRejection(policy.rejection);
  const defaults = { key: policy.key && toKeyRule(policy.key), algorithm: policy.algorithm, rejection };
  const entries = policy.limits ?? [oneLimitOf(policy)];
  const limits = entries.map((entry, i) =>
    completeLimit(entry.name, limitFields(entry, `${source}#${POLICY_POINTER}${policy.limits ? `/limits/${i}` : ''}`, rejection), defaults),
  );
  const { style, resetFormat, retryAfterFormat, partitionKey, ...names } = policy.headers ?? {};
  return {
    limits,
    operations: [],
    include: policy.scope?.include ?? ['/**'],
    exempt: policy.scope?.exempt ?? [],
    headers: {
      style: style ?? 'named',
      names,
      resetFormat: resetFormat ?? 'seconds',
      retryAfterFormat: retryAfterFormat ?? 'seconds',
      partitionKey: partitionKey ?? false,
    },
    env: { ...policy.env },
    stacking: policy.stacking ?? 'atomic',
    rejection,
  };
}

/** Throws the one-line error for an operation's `x-rate-limit` problems (used by parseSpecPolicy). */
export function operationPolicyError(source: string, problems: PolicyProblem[]): RateLimitContractError {
  return failed(source, problems);
}
