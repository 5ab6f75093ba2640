import { describeDurationProblem } from '../core/duration.js';
import { DEFAULT_HEADER_NAMES } from '../core/headers/header-names.js';
import { findOperationPolicyProblems, findPolicyProblems, POLICY_POINTER, type PolicyProblem, parsePolicy } from '../core/parse-policy.js';
import type { RateLimitPolicy } from '../core/policy.js';
import { policyJsonSchema } from '../core/policy-schema.js';

/** The parts of a policy that the contract rules read (`limits`: the limits' own rejections, headers and costs). */
export type PolicyPart = 'scope' | 'headers' | 'rejection' | 'limits';

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const at = (raw: unknown, path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined), raw);

const HEADER_TOKEN = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const EXAMPLE_HEADER: Record<string, string> = DEFAULT_HEADER_NAMES;

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
function explain(problem: PolicyProblem, raw: unknown, base = POLICY_POINTER): PolicyProblem {
  const path = problem.pointer.slice(base.length + 1).split('/');
  const value = at(raw, path);
  // A limit's field reads as the root's: /limits/0/window as /window.
  const [field, name] = path[0] === 'limits' && path.length > 2 ? path.slice(2) : path;
  if (field === 'window') return { ...problem, message: describeWindow(value) };
  if (typeof value !== 'string') return problem;
  // A string header name fails only its pattern.
  if (field === 'headers' && problem.message.startsWith('must be a lower-case header name'))
    return { ...problem, message: describeHeaderName(value, EXAMPLE_HEADER[name ?? ''] ?? DEFAULT_HEADER_NAMES.limit) };
  if (!problem.message.startsWith('must match pattern')) return problem;
  if (field === 'key') return { ...problem, message: `"${value}" is not a header name: use letters, digits and - (e.g. "x-api-key")` };
  if (field === 'scope') return { ...problem, message: `"${value}" must start with / (a path pattern such as /v1/** or /health)` };
  if (field === 'env') return { ...problem, message: `"${value}" is not an env var name: use upper-case letters, digits and _ (e.g. RATE_LIMIT_MAX)` };
  return problem;
}

/**
 * The problems of a raw `x-rate-limit` value, worded for a person: one message per bad window ("must be
 * positive"), "must be lower case" for a header name instead of the schema's pattern. With `operation`,
 * the value is an operation's own, at that pointer, and `root` is the root's raw value.
 */
export function explainPolicyProblems(raw: unknown, operation?: { pointer: string; root: unknown }): PolicyProblem[] {
  const seen = new Set<string>();
  const problems = operation ? findOperationPolicyProblems(raw, operation.pointer, isRecord(operation.root) ? operation.root : {}) : findPolicyProblems(raw);
  return problems
    .map((problem) => explain(problem, raw, operation?.pointer))
    .filter((problem) => {
      const key = `${problem.pointer} ${problem.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

// Stand-ins for required fields that are missing or broken: the contract rules never read limit, window or key.
const STAND_INS: Raw = { limit: 1, window: '1m', key: { by: 'ip' }, rejection: { body: null } };
const ONE_LIMIT = new Set(['limit', 'window', 'key']);
const FIELDS = Object.keys(policyJsonSchema.properties);
/** Broken fields by the part of the policy the rules know them as. */
const PART_OF: Record<string, PolicyPart> = { limits: 'limits', fallbackLimit: 'limits', cost: 'limits', unit: 'limits', stacking: 'limits' };

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
      // The one-limit fields stand in only where there is no `limits` list.
      if (!(field in candidate) && !(ONE_LIMIT.has(field) && 'limits' in candidate)) {
        candidate[field] = standIn;
        broken.add(PART_OF[field] ?? field);
      }
    }
    const problems = findPolicyProblems(candidate);
    if (problems.length === 0) return { policy: parsePolicy(candidate, source), broken };
    for (const problem of problems) {
      const field = problem.pointer.split('/')[2];
      // A problem of the whole value (both shapes at once): drop the list and keep the one limit.
      if (field === undefined) {
        if (!('limits' in candidate)) return undefined;
        delete candidate.limits;
        broken.add('limits');
        continue;
      }
      delete candidate[field];
      broken.add(PART_OF[field] ?? field);
    }
  }
  return undefined;
}
