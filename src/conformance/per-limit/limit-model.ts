import { limitsFor, operationPolicyOf } from '../../core/operation-policy.js';
import type { LimitPolicy, OperationPolicy, RateLimitPolicy } from '../../core/policy.js';
import { createCostReader } from '../../core/request-cost.js';
import type { ProbeOperation, ProbePlan } from '../probe-plan.js';
import { valueAt } from '../spec-lookup.js';

/** A limit as it applies to one operation: merged with the operation's override, its cost there, and where each is declared. */
export interface AppliedLimit {
  limit: LimitPolicy;
  /** The budget: the limit's name, or `name@METHOD template` for a budget per operation. */
  bucket: string;
  /** JSON pointer of the limit's declaration (the root's entry, or the operation's for a limit it adds). */
  pointer: string;
  /** JSON pointer of the operation's entry that overrides the root limit here, if any. */
  overridePointer?: string;
  /** Units the operation's planned request spends on it. */
  cost: number;
  /** JSON pointer of the cost in force; undefined for the default of one unit. */
  costPointer?: string;
  /** JSON pointer of the rejection in force (the limit's own, else the root's). */
  rejectionPointer: string;
}

/** A limited operation of the plan with the limits that apply to it, in the order they are checked. */
export interface LimitedOperation {
  probe: ProbeOperation;
  /** `GET /v1/items`. */
  label: string;
  limits: AppliedLimit[];
}

/** Every limit of a spec, where it applies and what each planned request costs: what the per-limit checks are derived from. */
export interface PolicyLimits {
  /** The spec file, quoted with JSON pointers in every clause. */
  source: string;
  policy: RateLimitPolicy;
  operations: LimitedOperation[];
  /** Every declared limit's name: the root's in order, then those operations add. */
  names: string[];
  /** The longest window of any limit: a budget is fresh for every limit once it has passed. */
  longestWindowMs: number;
  /** `file#pointer: value`, the spec field as written. */
  quote(pointer: string): string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function rootPointerOf(document: Record<string, unknown>, name: string): string | undefined {
  const root = document['x-rate-limit'];
  if (!isObject(root)) return undefined;
  if (!Array.isArray(root.limits)) return '/x-rate-limit';
  const i = root.limits.findIndex((entry) => isObject(entry) && entry.name === name);
  return i === -1 ? undefined : `/x-rate-limit/limits/${i}`;
}

function requestCost(limit: LimitPolicy, probe: ProbeOperation): number {
  const query = probe.path.includes('?') ? probe.path.slice(probe.path.indexOf('?') + 1) : '';
  let parsed: unknown;
  try {
    parsed = probe.body === undefined ? undefined : JSON.parse(probe.body);
  } catch {
    parsed = undefined;
  }
  return createCostReader(limit.cost)({ headers: probe.headers, query, json: () => parsed });
}

function applied(document: Record<string, unknown>, probe: ProbeOperation, limit: LimitPolicy, operation: OperationPolicy | undefined): AppliedLimit {
  const root = rootPointerOf(document, limit.name);
  const j = operation?.limits.findIndex((entry) => entry.name === limit.name) ?? -1;
  const entryPointer = operation && j >= 0 ? `${operation.pointer}/limits/${j}` : undefined;
  const entry = operation && j >= 0 ? operation.limits[j] : undefined;
  const pointer = root ?? entryPointer ?? '/x-rate-limit';
  let costPointer: string | undefined;
  if (entry?.cost !== undefined && entryPointer) costPointer = `${entryPointer}/cost`;
  else if (operation?.cost !== undefined && (entry === undefined || entry.cost === undefined)) costPointer = `${operation.pointer}/cost`;
  else if (valueAt(document, `${pointer}/cost`) !== undefined) costPointer = `${pointer}/cost`;
  const rejectionPointer =
    entryPointer && valueAt(document, `${entryPointer}/rejection`) !== undefined
      ? `${entryPointer}/rejection`
      : valueAt(document, `${pointer}/rejection`) !== undefined
        ? `${pointer}/rejection`
        : '/x-rate-limit/rejection';
  const overrides = root !== undefined && entry !== undefined && Object.keys(entry).some((k) => k !== 'name');
  return {
    limit,
    bucket: limit.bucket === 'operation' ? `${limit.name}@${probe.method} ${probe.template}` : limit.name,
    pointer,
    ...(overrides ? { overridePointer: entryPointer } : {}),
    cost: requestCost(limit, probe),
    ...(costPointer ? { costPointer } : {}),
    rejectionPointer,
  };
}

/** Derives every limit's operations and costs from the policy and the plan's limited operations. */
export function policyLimits(policy: RateLimitPolicy, document: Record<string, unknown>, plan: Pick<ProbePlan, 'inScope'>, source: string): PolicyLimits {
  const operations = plan.inScope.map((probe): LimitedOperation => {
    const operation = operationPolicyOf(policy, probe.method, probe.template);
    return {
      probe,
      label: `${probe.method} ${probe.template}`,
      limits: limitsFor(policy, operation).map((limit) => applied(document, probe, limit, operation)),
    };
  });
  const names = [...new Set([...policy.limits.map((l) => l.name), ...policy.operations.flatMap((op) => op.limits.map((l) => l.name))])];
  const windows = [...policy.limits, ...operations.flatMap((op) => op.limits.map((a) => a.limit))].map((l) => l.windowMs);
  return {
    source,
    policy,
    operations,
    names,
    longestWindowMs: Math.max(...windows),
    quote(pointer) {
      const value = JSON.stringify(valueAt(document, pointer)) ?? 'nothing';
      return `${source}#${pointer}: ${value.length > 240 ? `${value.slice(0, 240)}…` : value}`;
    },
  };
}

/** The limit a caller meets: the fallbackLimit for requests keyed by their IP instead of a credential. */
export const effectiveLimit = (limit: LimitPolicy, byIp: boolean): number =>
  byIp && limit.key.by !== 'ip' && limit.fallbackLimit !== undefined ? limit.fallbackLimit : limit.limit;

/** Requests of `cost` units that fit in `limit` (Infinity for a cost of 0). */
export const capacity = (limit: number, cost: number): number => (cost === 0 ? Number.POSITIVE_INFINITY : Math.floor(limit / cost));
