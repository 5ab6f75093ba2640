import type { Exchange } from '../conformance-check.js';
import type { LimitedOperation, PolicyLimits } from './limit-model.js';
import { readLimitReports } from './limit-reports.js';
import { createCallerBudgets } from './limit-targets.js';
import type { LimitState, StepFacts } from './run-facts.js';

/**
 * What the first response of a budget the suite has not used yet says was spent before it (by an earlier
 * run inside the window, say): how long to wait until those limits are back, or undefined when nothing
 * was. `states` are what the policy expects after that request on a fresh budget; a refusal with no
 * telling header waits the longest window (or retry-after, when shorter).
 */
function spentBeforeMs(limits: PolicyLimits, exchange: Exchange, states: readonly LimitState[], refused: boolean) {
  const reports = readLimitReports(
    limits.policy.headers,
    states.map((s) => s.applied.limit),
    exchange.response.headers,
    exchange.receivedAtMs,
  );
  const waits: number[] = [];
  const resetOf = (state: LimitState | undefined, resetMs: number | undefined) =>
    resetMs !== undefined && state && resetMs <= state.rule.windowMs + 1000 ? resetMs : (state?.rule.windowMs ?? limits.longestWindowMs);
  for (const [i, reading] of reports.own) {
    const state = states[i];
    if (state && !state.unknown && reading.remaining !== undefined && reading.remaining < state.remaining.lo) waits.push(resetOf(state, reading.resetMs));
  }
  const shared = reports.shared;
  const reporters = states.filter((s) => s.applied.limit.report && !s.unknown);
  if (shared?.remaining !== undefined && reporters.length > 0) {
    const least = Math.min(...reporters.map((s) => s.remaining.lo));
    if (shared.remaining < least)
      waits.push(
        resetOf(
          reporters.find((s) => s.rule.limit === shared.limit),
          shared.resetMs,
        ),
      );
  }
  if (refused && waits.length === 0) waits.push(Math.min(reports.retryAfterMs ?? limits.longestWindowMs, limits.longestWindowMs));
  return { waits, reports, resetOf };
}

/** The wait after a one-budget scenario's first response (the one-limit checks: only the limits found spent). */
export function spentBefore(limits: PolicyLimits, exchange: Exchange, states: readonly LimitState[], refused: boolean): number | undefined {
  const { waits } = spentBeforeMs(limits, exchange, states, refused);
  return waits.length === 0 ? undefined : Math.max(...waits);
}

/**
 * The wait before a per-limit run starts over: the first request spent on every limit of its operation,
 * and the run judges them all from a fresh budget, so each of them must be back, not only those found spent.
 */
export function spentBeforeRun(limits: PolicyLimits, step: StepFacts): number | undefined {
  const { waits, reports, resetOf } = spentBeforeMs(limits, step.exchange, step.states, step.observed.kind === 'refused');
  if (waits.length === 0) return undefined;
  for (const [i, state] of step.states.entries()) if (state.applied.cost > 0) waits.push(resetOf(state, reports.own.get(i)?.resetMs));
  return Math.max(...waits);
}

/**
 * The same for the first request of a one-budget scenario (the primary run, the late window): the
 * operation it was sent to, spent once from fresh budgets.
 */
export function spentBeforeFirstRequest(limits: PolicyLimits, exchange: Exchange, refused: boolean): number | undefined {
  const { request } = exchange;
  const operation: LimitedOperation | undefined =
    limits.operations.find((op) => op.probe.method === request.method && op.probe.path === request.path) ?? limits.operations[0];
  if (!operation) return undefined;
  const anonymous = !operation.limits.some((a) => a.limit.key.by !== 'ip' && request.headers[a.limit.key.header] !== undefined);
  const budgets = createCallerBudgets({ credential: anonymous ? undefined : request.headers, sharedIp: true }, exchange.sentAtMs, 0);
  const span = { sentAtMs: exchange.sentAtMs, receivedAtMs: exchange.receivedAtMs };
  const states = operation.limits.map((applied) => {
    const model = budgets.modelOf(applied);
    if (!refused) model.record(span, 'spent', applied.cost);
    const spent = model.spentAt(span);
    const rule = { ...model.rule, limit: budgets.effective(applied) };
    return {
      applied,
      rule,
      spent,
      remaining: { lo: Math.max(0, rule.limit - spent.hi), hi: Math.max(0, rule.limit - spent.lo) },
      unknown: budgets.unknown.has(applied.bucket),
    };
  });
  return spentBefore(limits, exchange, states, refused);
}
