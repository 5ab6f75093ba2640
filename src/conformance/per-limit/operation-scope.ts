// "Per-operation policies: an x-rate-limit on an operation adds to or overrides the root policy" — so a
// limit applies where the spec puts it and nowhere else: with it spent, a request to an operation it does
// not apply to is allowed (its own limits have room) and does not report it.
import type { CheckContext } from '../check-context.js';
import type { Exchange } from '../conformance-check.js';
import { statusLine } from '../expectations.js';
import { fitOf } from './budget-model.js';
import { budgetsAt, driveRun, type RunIo, step } from './drive-run.js';
import { judgeReports } from './judge-reports.js';
import type { LimitedOperation, PolicyLimits } from './limit-model.js';
import { readLimitReports } from './limit-reports.js';
import { judgeContext, limitRun, toFacts } from './limit-run.js';
import type { LimitTarget } from './limit-targets.js';
import { predict } from './request-prediction.js';
import { limitWords, type Violation } from './run-facts.js';

/** The result of the scope scenario: what the request elsewhere showed, or why there was none. */
export interface ScopeProbe {
  violations: Violation[];
  skip?: string;
}

/** Sends, right after the limit refused, one request to an operation it does not apply to; judges it. */
async function probeElsewhere(ctx: CheckContext, limits: PolicyLimits, target: LimitTarget): Promise<ScopeProbe> {
  const run = await limitRun(ctx, limits, target);
  const spent = run.target.operation.limits[target.index];
  if (!spent) return { violations: [], skip: 'the limit is not on its operation' };
  if (run.end !== 'exhausted') return { violations: [], skip: `${target.name} could not be spent (see its other checks)` };
  const model = run.budgets.modelOf(spent);
  const io: RunIo<Exchange> = {
    now: () => ctx.clock.now(),
    sleepUntil: (at) => ctx.clock.sleepUntil(at),
    async send(op, n) {
      const label =
        n === 0
          ? `a request to ${op.label}, where ${target.name} does not apply, right after ${target.name} refused`
          : `request ${n} spending what ${target.name} has left, on ${op.label}`;
      const exchange = await ctx.send(op.probe, run.caller, label);
      return { span: { sentAtMs: exchange.sentAtMs, receivedAtMs: exchange.receivedAtMs }, status: exchange.response.status, exchange };
    },
  };
  const slackMs = ctx.clock.kind === 'real' ? 250 : 0;
  const nowSpan = () => ({ sentAtMs: ctx.clock.now(), receivedAtMs: ctx.clock.now() + slackMs });
  // Spent for any cost: a limit applied by mistake elsewhere would refuse even a request of one unit. Less
  // than the run's cost may be left: spend it on the operation where the limit costs one unit.
  const spentForOne = () => fitOf(model.spentAt(nowSpan()), run.budgets.effective(spent), 1) === 'fails';
  const cheapest = limits.operations
    .map((op) => ({ op, index: op.limits.findIndex((a) => a.bucket === spent.bucket && a.cost === 1) }))
    .find((c) => c.index >= 0);
  if (!spentForOne() && cheapest) {
    await driveRun(io, run.budgets, cheapest.op, cheapest.index, {
      stacking: limits.policy.stacking,
      maxRequests: run.budgets.effective(spent) + 3,
      deadlineMs: ctx.clock.now() + 2 * limits.longestWindowMs,
      guardMs: slackMs,
    });
  }
  if (!spentForOne())
    return { violations: [], skip: `${target.name} had some room left after its run (its window may have ended, or less than the request cost was left)` };
  const now = nowSpan();
  const operation = target.elsewhere.find((op: LimitedOperation) => predict(budgetsAt(run.budgets, op, now)).kind === 'allowed');
  if (!operation)
    return {
      violations: [],
      skip: `no operation where ${target.name} does not apply has room for a request after the run (${target.elsewhere.map((op) => op.label).join(', ')})`,
    };
  const facts = toFacts(operation, await step(io, run.budgets, operation, 0, limits.policy.stacking));
  const j = judgeContext(limits);
  const where = limits.quote(spent.overridePointer ?? spent.pointer);
  const spentState = `${target.name} refused request ${run.steps.length} of its run on ${target.operation.label}`;
  const violations: Violation[] = [];
  const { exchange } = facts;
  if (facts.observed.kind === 'refused') {
    const bucket = spent.limit.bucket === 'operation' ? ` (bucket: operation, one budget per operation)` : '';
    violations.push({
      kind: 'scope',
      summary: `${operation.label} was refused with ${statusLine(exchange.response.status)} right after ${spentState}, though every limit that applies to it had room: ${target.name} is applied where the spec does not put it${bucket} (${where}).`,
      expected: `allowed: ${operation.limits.map((a) => a.limit.name).join(', ')} apply to ${operation.label}, ${target.name} does not`,
      actual: statusLine(exchange.response.status),
      exchange,
    });
  }
  const reports = readLimitReports(
    limits.policy.headers,
    operation.limits.map((a) => a.limit),
    exchange.response.headers,
    exchange.receivedAtMs,
  );
  if (
    reports.shared?.name === target.name ||
    (reports.shared?.limit === run.budgets.effective(spent) && !operation.limits.some((a) => run.budgets.effective(a) === reports.shared?.limit))
  ) {
    violations.push({
      kind: 'scope',
      summary: `${operation.label}'s headers report ${limitWords({ applied: spent, rule: { ...model.rule, limit: run.budgets.effective(spent) } })}, which does not apply to it (${where}).`,
      expected: `the limits of ${operation.label}: ${operation.limits.map((a) => a.limit.name).join(', ')}`,
      actual: `${spent.limit.name} reported`,
      exchange,
    });
  }
  violations.push(...judgeReports(j, facts).filter((v) => v.kind === 'scope'));
  return { violations };
}

/** The scope scenario of a limit, shared per run. */
export const scopeProbe = (ctx: CheckContext, limits: PolicyLimits, target: LimitTarget): Promise<ScopeProbe> =>
  ctx.shared(`limit-scope:${target.name}`, () => probeElsewhere(ctx, limits, target));
