import { formatDurationLong } from '../../core/duration.js';
import type { Stacking } from '../../core/policy.js';
import { type BucketModel, createBucketModel } from './budget-model.js';
import { budgetsAt, type CallerBudgets, type DriveOptions, driveRun, type RunEnd, type RunIo } from './drive-run.js';
import { type AppliedLimit, capacity, effectiveLimit, type LimitedOperation, type PolicyLimits } from './limit-model.js';
import { predict } from './request-prediction.js';

/** Where and how the suite spends one limit. */
export interface LimitTarget {
  name: string;
  operation: LimitedOperation;
  /** The limit's index in `operation.limits`. */
  index: number;
  /** Whether the caller is anonymous (keyed by its IP: a fallbackLimit applies). */
  byIp: boolean;
  /** What the policy makes of the run: the request it refuses, how long it takes (waits for other limits). */
  planned: { refusedAt: number; durationMs: number };
  /** Limited operations where the limit does not apply, to check that it does not. */
  elsewhere: LimitedOperation[];
}

/** A limit the suite cannot spend on its own, and why. */
export interface UnreachableLimit {
  name: string;
  reason: string;
}

/** Who sends a run's requests, as the budgets see it. */
export interface CallerKind {
  /** The caller's headers; undefined for an anonymous caller, whose every budget is keyed by its IP. */
  credential?: Record<string, string>;
  /**
   * Whether the budgets a principal falls back to its IP for are shared with the suite's other principals
   * (they all send from this host), so that the suite cannot know them. False when planning.
   */
  sharedIp: boolean;
}

/**
 * The budgets of one caller. A limit keyed by something the caller does not send falls back to its IP
 * (with the limit's fallbackLimit).
 */
export function createCallerBudgets(caller: CallerKind, nowMs: number, marginMs: number): CallerBudgets {
  const models = new Map<string, BucketModel>();
  const unknown = new Set<string>();
  const { credential } = caller;
  const byIp = (applied: AppliedLimit) => {
    const key = applied.limit.key;
    if (credential === undefined || key.by === 'ip') return true;
    return !Object.keys(credential).some((name) => name.toLowerCase() === key.header);
  };
  const effective = (applied: AppliedLimit) => effectiveLimit(applied.limit, byIp(applied));
  return {
    models,
    unknown,
    effective,
    modelOf(applied) {
      let model = models.get(applied.bucket);
      if (!model) {
        const shared = caller.sharedIp && credential !== undefined && byIp(applied);
        if (shared) unknown.add(applied.bucket);
        model = createBucketModel(
          { limit: effective(applied), windowMs: applied.limit.windowMs, algorithm: applied.limit.algorithm },
          marginMs,
          shared ? nowMs : undefined,
        );
        models.set(applied.bucket, model);
      }
      return model;
    },
  };
}

/** A planned principal: it sends the header of every limit keyed by one. */
const plannedPrincipal = (operation: LimitedOperation): Record<string, string> =>
  Object.fromEntries(operation.limits.flatMap((a) => (a.limit.key.by === 'ip' ? [] : [[a.limit.key.header, 'planned']])));

/** The policy as a server: zero latency, one millisecond per request, on a virtual clock. */
function dryIo(budgets: CallerBudgets): RunIo<undefined> {
  let now = 0;
  return {
    now: () => now,
    sleepUntil: async (at) => {
      now = Math.max(now, at);
    },
    async send(operation) {
      const span = { sentAtMs: now, receivedAtMs: now };
      const p = predict(budgetsAt(budgets, operation, span));
      now += 1;
      const refusing = p.kind === 'refused' ? p.by : p.kind === 'either' && !p.mayBeAllowed ? p.candidates[0] : undefined;
      const status = refusing === undefined ? 200 : (operation.limits[refusing]?.limit.rejection.status ?? 429);
      return { span, status, exchange: undefined };
    },
  };
}

/** How many requests a run may send before it counts as `limit-reached`. */
export function maxRequests(operation: LimitedOperation, index: number, effective: number, refillMs: number): number {
  const applied = operation.limits[index] as AppliedLimit;
  const cap = capacity(effective, applied.cost);
  if (!Number.isFinite(cap)) return 3;
  const refill = applied.limit.algorithm === 'fixed-window' ? 0 : Math.ceil(((refillMs / applied.limit.windowMs) * effective) / Math.max(1, applied.cost));
  return Math.min(cap + refill + 3, 100_000);
}

/** Plans one run in virtual time: whether the limit refuses, at which request, after how long. */
export async function planRun(
  operation: LimitedOperation,
  index: number,
  byIp: boolean,
  stacking: Stacking,
  marginMs: number,
): Promise<{ end: RunEnd; refusedAt: number; durationMs: number }> {
  const budgets = createCallerBudgets({ credential: byIp ? undefined : plannedPrincipal(operation), sharedIp: false }, 0, marginMs);
  const applied = operation.limits[index] as AppliedLimit;
  const effective = budgets.effective(applied);
  const horizon = 8 * Math.max(...operation.limits.map((a) => a.limit.windowMs));
  const options: DriveOptions = { stacking, maxRequests: maxRequests(operation, index, effective, horizon), deadlineMs: horizon, guardMs: 0 };
  const io = dryIo(budgets);
  const { steps, end } = await driveRun(io, budgets, operation, index, options);
  return { end, refusedAt: steps.length, durationMs: io.now() };
}

function why(name: string, operation: LimitedOperation, index: number, end: RunEnd): string {
  const applied = operation.limits[index] as AppliedLimit;
  const where = `on ${operation.label}`;
  if (applied.cost === 0) return `${name} costs nothing ${where} (cost 0), so it never refuses there, and it applies nowhere else`;
  if (end === 'stalled')
    return `${name} (${applied.limit.limit} per ${formatDurationLong(applied.limit.windowMs)}) cannot be spent within one of its windows ${where}: the other limits let too few requests through`;
  if (end === 'never') return `another limit ${where} never has room again, so ${name} cannot be spent there`;
  return `${name} cannot be spent ${where} in reasonable time (its requests refill it as fast as they spend it)`;
}

/**
 * Chooses, for every declared limit, the operation to spend it on: one where a run exhausts it, preferring
 * an operation that declares a cost for it (so that the cost is checked), then the shortest run.
 */
export async function planTargets(limits: PolicyLimits, options: { principals: boolean; marginMs: number }): Promise<Array<LimitTarget | UnreachableLimit>> {
  const out: Array<LimitTarget | UnreachableLimit> = [];
  for (const name of limits.names) {
    const places = limits.operations.flatMap((operation) => {
      const index = operation.limits.findIndex((a) => a.limit.name === name);
      return index === -1 ? [] : [{ operation, index }];
    });
    if (places.length === 0) {
      out.push({ name, reason: `${name} applies to no limited operation the spec lists` });
      continue;
    }
    const planned: Array<LimitTarget & { explicitCost: boolean }> = [];
    let firstEnd: { place: (typeof places)[number]; end: RunEnd } | undefined;
    for (const place of places) {
      const applied = place.operation.limits[place.index] as AppliedLimit;
      const byIp = applied.limit.key.by === 'ip' || !options.principals;
      const plan = await planRun(place.operation, place.index, byIp, limits.policy.stacking, options.marginMs);
      firstEnd ??= { place, end: plan.end };
      if (plan.end !== 'exhausted') continue;
      const elsewhere = limits.operations.filter((op) => !op.limits.some((a) => a.bucket === applied.bucket));
      planned.push({
        name,
        operation: place.operation,
        index: place.index,
        byIp,
        planned: { refusedAt: plan.refusedAt, durationMs: plan.durationMs },
        elsewhere,
        explicitCost: applied.costPointer !== undefined && applied.cost !== 1,
      });
    }
    planned.sort(
      (a, b) => Number(b.explicitCost) - Number(a.explicitCost) || a.planned.durationMs - b.planned.durationMs || a.planned.refusedAt - b.planned.refusedAt,
    );
    const best = planned[0];
    if (best) {
      const { explicitCost: _, ...target } = best;
      out.push(target);
    } else if (firstEnd) out.push({ name, reason: why(name, firstEnd.place.operation, firstEnd.place.index, firstEnd.end) });
  }
  return out;
}

/** The same limit and operation, spent by an anonymous caller (keyed by its IP, so a fallbackLimit applies). */
export async function anonymousTarget(target: LimitTarget, stacking: Stacking, marginMs: number): Promise<LimitTarget | UnreachableLimit> {
  const plan = await planRun(target.operation, target.index, true, stacking, marginMs);
  if (plan.end !== 'exhausted') return { name: target.name, reason: why(target.name, target.operation, target.index, plan.end) };
  return { ...target, byIp: true, planned: { refusedAt: plan.refusedAt, durationMs: plan.durationMs } };
}
