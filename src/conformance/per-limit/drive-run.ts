// Spends one limit until it refuses, the way a client that reads the policy would: requests to one
// operation one after another, waiting only when another limit (a burst) may have no room, so that the
// limit under test is the one that runs out. The same loop plans a run (dry, in virtual time, against the
// policy itself) and drives it against a server.
import type { Stacking } from '../../core/policy.js';
import { type BucketModel, fitOf, remainingRange, type Span } from './budget-model.js';
import type { LimitedOperation } from './limit-model.js';
import { type BudgetAtRequest, type Observed, observe, outcomesOf, type Prediction, predict } from './request-prediction.js';
import type { LimitState } from './run-facts.js';

/** A request's answer as the loop needs it. */
export interface Answer<E> {
  span: Span;
  status: number;
  /** What the transport returned (an Exchange against a server). */
  exchange: E;
}

/** How the loop reaches the server (or the policy, when planning) and waits. */
export interface RunIo<E> {
  now(): number;
  sleepUntil(atMs: number): Promise<void>;
  send(operation: LimitedOperation, number: number): Promise<Answer<E>>;
}

/** One request of a driven run. */
export interface DrivenStep<E> {
  answer: Answer<E>;
  number: number;
  states: LimitState[];
  prediction: Prediction;
  observed: Observed;
  decider?: number;
}

/**
 * How the run ended: `exhausted` (the limit refused), `limit-reached` (as many requests as it can take and
 * more were sent), `stalled` (the limit's window may end before it runs out), `never` (another limit never
 * has room again), `too-long` (past the deadline).
 */
export type RunEnd = 'exhausted' | 'limit-reached' | 'stalled' | 'never' | 'too-long';

/** The budgets of one caller, by bucket, with the rule each limit meets. */
export interface CallerBudgets {
  models: Map<string, BucketModel>;
  /** The caller's limits that the suite cannot know (IP budgets shared by every principal). */
  unknown: Set<string>;
  /** The limit a caller meets (its fallbackLimit when it is keyed by its IP). */
  effective(limit: LimitedOperation['limits'][number]): number;
  /** The model of a bucket, made on first use. */
  modelOf(applied: LimitedOperation['limits'][number]): BucketModel;
}

/** The state of each limit of `operation` at `span` (after the request, when it was recorded). */
export function statesAt(budgets: CallerBudgets, operation: LimitedOperation, span: Span): LimitState[] {
  return operation.limits.map((applied) => {
    const model = budgets.modelOf(applied);
    const spent = model.spentAt(span);
    const rule = { ...model.rule, limit: budgets.effective(applied) };
    return { applied, rule, spent, remaining: remainingRange(rule, spent), windowStart: model.windowStart(), unknown: budgets.unknown.has(applied.bucket) };
  });
}

/** The budgets of `operation`'s limits before a request at `span`. */
export function budgetsAt(budgets: CallerBudgets, operation: LimitedOperation, span: Span): BudgetAtRequest[] {
  return operation.limits.map((applied) => ({
    spent: budgets.modelOf(applied).spentAt(span),
    limit: budgets.effective(applied),
    cost: applied.cost,
    status: applied.limit.rejection.status,
  }));
}

/** Sends one request of `operation` and records what it did to every budget; returns the step. */
export async function step<E>(io: RunIo<E>, budgets: CallerBudgets, operation: LimitedOperation, number: number, stacking: Stacking): Promise<DrivenStep<E>> {
  const answer = await io.send(operation, number);
  const before = budgetsAt(budgets, operation, answer.span);
  const prediction = predict(before);
  const observed = observe(prediction, before, answer.status);
  const outcomes = outcomesOf(observed, before.length, stacking);
  for (const [i, applied] of operation.limits.entries()) {
    const outcome = outcomes[i];
    if (outcome) budgets.modelOf(applied).record(answer.span, outcome, applied.cost);
  }
  let decider: number | undefined;
  if (observed.kind === 'refused') {
    if (observed.by.length === 1) decider = observed.by[0];
    else if (prediction.kind === 'refused' && observed.by.includes(prediction.by)) decider = prediction.by;
  }
  return { answer, number, states: statesAt(budgets, operation, answer.span), prediction, observed, decider };
}

/** When the next request may go: once every other limit that may lack room for it surely has some. */
function nextSendAt(budgets: CallerBudgets, operation: LimitedOperation, target: number, nowMs: number): number {
  const now = { sentAtMs: nowMs, receivedAtMs: nowMs };
  const all = budgetsAt(budgets, operation, now);
  const own = all[target] as BudgetAtRequest;
  const targetFails = fitOf(own.spent, own.limit, own.cost) === 'fails';
  let at = nowMs;
  for (const [i, b] of all.entries()) {
    if (i === target || fitOf(b.spent, b.limit, b.cost) === 'fits') continue;
    if (i > target && targetFails) continue;
    at = Math.max(at, budgets.modelOf(operation.limits[i] as LimitedOperation['limits'][number]).roomAt(b.cost, nowMs));
  }
  return at;
}

/** Options of a driven run. */
export interface DriveOptions {
  stacking: Stacking;
  /** Stop after this many requests. */
  maxRequests: number;
  /** Give up when the next request could not go before this time. */
  deadlineMs: number;
  /** A request must be answered this long before the target's fixed window may end (scheduling slack). */
  guardMs: number;
  /** Stops the run after a step when it returns true (the first response shows budgets spent by someone else). */
  stopAfter?(step: DrivenStep<unknown>): boolean;
}

/** Spends `operation.limits[target]` until it refuses (see RunEnd). */
export async function driveRun<E>(
  io: RunIo<E>,
  budgets: CallerBudgets,
  operation: LimitedOperation,
  target: number,
  options: DriveOptions,
): Promise<{ steps: Array<DrivenStep<E>>; end: RunEnd }> {
  const steps: Array<DrivenStep<E>> = [];
  const applied = operation.limits[target] as LimitedOperation['limits'][number];
  const model = budgets.modelOf(applied);
  for (let number = 1; number <= options.maxRequests; number += 1) {
    const at = nextSendAt(budgets, operation, target, io.now());
    if (at === Number.POSITIVE_INFINITY) return { steps, end: 'never' };
    const start = model.windowStart();
    const targetFails = fitOf(model.spentAt({ sentAtMs: at, receivedAtMs: at }), budgets.effective(applied), applied.cost) === 'fails';
    if (start && !targetFails && at + options.guardMs >= start.lo + model.rule.windowMs) return { steps, end: 'stalled' };
    if (at > options.deadlineMs) return { steps, end: 'too-long' };
    await io.sleepUntil(at);
    const done = await step(io, budgets, operation, number, options.stacking);
    steps.push(done);
    if (options.stopAfter?.(done)) return { steps, end: 'limit-reached' };
    if (done.decider === target) return { steps, end: 'exhausted' };
    if (done.observed.kind === 'refused' && done.decider === undefined && done.observed.by.includes(target)) return { steps, end: 'exhausted' };
  }
  return { steps, end: 'limit-reached' };
}
