import { describeDurationProblem } from '../core/duration.js';
import { findPolicyProblems, POLICY_POINTER, type PolicyProblem, parsePolicy } from '../core/parse-policy.js';
import type { RateLimitPolicy } from '../core/policy.js';
import { policyJsonSchema } from '../core/policy-schema.js';

/** The parts of a policy that the contract rules read. */
export type PolicyPart = 'scope' | 'headers' | 'rejection';

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const at = (raw: unknown, path: string[]): unknown => path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), raw);

const HEADER_TOKEN = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const EXAMPLE_HEADER: Record<string, string> = {
  limit: 'x-ratelimit-limit',
  remaining: 'x-ratelimit-remaining',
  reset: 'x-ratelimit-reset',
  retryAfter: 'retry-after',
};

function describeWindow(value: unknown): string {
  const usage = 'a duration such as 10s, 1m, "1 minute", or a whole number of milliseconds';
  if (typeof value === 'string') return describeDurationProblem(value) ?? `"${value}" is not ${usage}`;
  if (typeof value === 'number' && Number.isFinite(value) && value <= 0) return `${value} must be positive (${usage})`;
  return `${JSON.stringify(value)} must be ${usage}`;
}

function describeHeaderName(value: string, example: string): string {
  if (HEADER_TOKEN.test(value.toLowerCase())) return `"${value}" must be lower case: write "${value.toLowerCase()}"`;
  return `"${value}" is not a header name: use lower-case letters, digits and - (e.g. "${example}")`;
}

/** A schema message a user can act on; the schema's own words (e.g. a raw pattern) when there is none better. */
function explain(problem: PolicyProblem, raw: unknown): PolicyProblem {
  const path = problem.pointer.slice(POLICY_POINTER.length + 1).split('/');
  const value = at(raw, path);
  const [field, name] = path;
  if (field === 'window') return { ...problem, message: describeWindow(value) };
  if (typeof value !== 'string') return problem;
  // A string header name fails only its pattern.
  if (field === 'headers') return { ...problem, message: describeHeaderName(value, EXAMPLE_HEADER[name ?? ''] ?? 'x-ratelimit-limit') };
  if (!problem.message.startsWith('must match pattern')) return problem;
  if (field === 'key') return { ...problem, message: `"${value}" is not a header name: use letters, digits and - (e.g. "x-api-key")` };
  if (field === 'scope') return { ...problem, message: `"${value}" must start with / (a path pattern such as /v1/** or /health)` };
  if (field === 'env') return { ...problem, message: `"${value}" is not an env var name: use upper-case letters, digits and _ (e.g. RATE_LIMIT_MAX)` };
  return problem;
}

/**
 * The problems of a raw `x-rate-limit` value, worded for a person: one message per bad window ("must be
 * positive"), "must be lower case" for a header name instead of the schema's pattern.
 */
export function explainPolicyProblems(raw: unknown): PolicyProblem[] {
  const seen = new Set<string>();
  return findPolicyProblems(raw)
    .map((problem) => explain(problem, raw))
    .filter((problem) => {
      const key = `${problem.pointer} ${problem.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

// Stand-ins for required fields that are missing or broken: the contract rules never read limit, window or key.
const STAND_INS: Raw = { limit: 1, window: '1m', key: { by: 'ip' }, rejection: { body: null } };
const FIELDS = Object.keys(policyJsonSchema.properties);

/**
 * The policy the contract rules can still run on when parts of it are broken, so that one `lint` run shows
 * schema and contract problems together. `broken` names the parts replaced by stand-ins (or dropped);
 * rules that read them are not run. Header names are lower-cased first, as their fix is unambiguous.
 * Undefined when the value is not an object.
 */
export function salvagePolicy(raw: unknown, source: string): { policy: RateLimitPolicy; broken: Set<string> } | undefined {
  if (!isRecord(raw)) return undefined;
  const candidate: Raw = {};
  for (const field of FIELDS) if (field in raw) candidate[field] = raw[field];
  if (isRecord(candidate.headers)) {
    candidate.headers = Object.fromEntries(Object.entries(candidate.headers).map(([k, v]) => [k, typeof v === 'string' ? v.toLowerCase() : v]));
  }
  const broken = new Set<string>();
  for (let round = 0; round < FIELDS.length; round += 1) {
    for (const [field, standIn] of Object.entries(STAND_INS)) {
      if (!(field in candidate)) {
        candidate[field] = standIn;
        broken.add(field);
      }
    }
    const problems = findPolicyProblems(candidate);
    if (problems.length === 0) return { policy: parsePolicy(candidate, source), broken };
    for (const problem of problems) {
      const field = problem.pointer.split('/')[2];
      if (field === undefined) return undefined;
      delete candidate[field];
      broken.add(field);
    }
  }
  return undefined;
}
