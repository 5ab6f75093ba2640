import { formatDurationLong } from '../../core/duration.js';
import type { CheckContext } from '../check-context.js';
import type { Exchange } from '../conformance-check.js';
import { type Caller, isStateUnknown } from '../key-pool.js';
import { type CallerBudgets, type DrivenStep, driveRun, type RunEnd, type RunIo } from './drive-run.js';
import { judgeOutcome } from './judge-outcome.js';
import { judgeRejection } from './judge-rejection.js';
import { judgeReports } from './judge-reports.js';
import type { LimitedOperation, PolicyLimits } from './limit-model.js';
import { createCallerBudgets, type LimitTarget, maxRequests } from './limit-targets.js';
import type { JudgeContext, StepFacts, Violation } from './run-facts.js';
import { spentBeforeRun } from './spent-before.js';

/** One limit spent until it refused, on a fresh caller, with everything its checks found. */
export interface LimitRun {
  target: LimitTarget;
  owner: string;
  caller: Caller;
  budgets: CallerBudgets;
  steps: StepFacts[];
  end: RunEnd;
  violations: Violation[];
}

/** Scheduling slack against a real server: a request must be answered this long before a window may end. */
const REAL_GUARD_MS = 250;
/** The longest a run may take against a real clock (waiting out other limits' windows); longer ones skip. */
export const REAL_RUN_BUDGET_MS = 120_000;

/** What the judges read of the spec. */
export function judgeContext(limits: PolicyLimits): JudgeContext {
  return { format: limits.policy.headers, stacking: limits.policy.stacking, quote: (pointer) => limits.quote(pointer) };
}

/** A fresh caller for the target: a principal when the limit is keyed by one and the credentials name one, else an address. */
async function takeCaller(ctx: CheckContext, target: LimitTarget): Promise<{ owner: string; caller: Caller } | undefined> {
  if (!target.byIp) {
    const lease = await ctx.pool.principal();
    if (lease?.callers[0]) return { owner: lease.id, caller: lease.callers[0] };
  }
  const caller = await ctx.pool.address();
  return caller && { owner: caller.localAddress ?? 'this host', caller };
}

export function toFacts(operation: LimitedOperation, driven: DrivenStep<Exchange>): StepFacts {
  const { answer, number, states, prediction, observed, decider } = driven;
  return { exchange: answer.exchange, number, operation, states, prediction, observed, ...(decider === undefined ? {} : { decider }) };
}

async function attemptRun(ctx: CheckContext, limits: PolicyLimits, target: LimitTarget, mayWait: boolean): Promise<LimitRun | 'spent-before'> {
  const taken = (await takeCaller(ctx, target)) ?? ctx.skip('the suite has no caller to spend the limit with');
  const { caller, owner } = taken;
  const unknownState = isStateUnknown(caller.budget);
  const real = ctx.clock.kind === 'real';
  const budgets = createCallerBudgets({ credential: target.byIp ? undefined : caller.headers, sharedIp: true }, ctx.clock.now(), ctx.clock.marginMs);
  const { operation, index, name } = target;
  const cost = operation.limits[index]?.cost ?? 1;
  const io: RunIo<Exchange> = {
    now: () => ctx.clock.now(),
    sleepUntil: (at) => ctx.clock.sleepUntil(at),
    async send(op, n) {
      const exchange = await ctx.send(op.probe, caller, `request ${n} of a run that spends ${name} (${op.label}${cost === 1 ? '' : `, cost ${cost}`})`);
      return { span: { sentAtMs: exchange.sentAtMs, receivedAtMs: exchange.receivedAtMs }, status: exchange.response.status, exchange };
    },
  };
  const startedAt = ctx.clock.now();
  const effective = budgets.effective(operation.limits[index] as LimitedOperation['limits'][number]);
  const slack = 2 * Math.max(...operation.limits.map((a) => a.limit.windowMs));
  // A budget the suite has not used yet may have been spent just before (an earlier run): its first
  // response tells, and the run stops there to wait it out once.
  let waitMs: number | undefined;
  const { steps: driven, end } = await driveRun(io, budgets, operation, index, {
    stacking: limits.policy.stacking,
    maxRequests: maxRequests(operation, index, effective, target.planned.durationMs * 2 + slack),
    deadlineMs: startedAt + target.planned.durationMs * 2 + slack,
    guardMs: real ? REAL_GUARD_MS : 0,
    stopAfter: (step) => {
      if (step.number !== 1 || !unknownState || !mayWait) return false;
      waitMs = spentBeforeRun(limits, toFacts(operation, step as DrivenStep<Exchange>));
      return waitMs !== undefined;
    },
  });
  const steps = driven.map((d) => toFacts(operation, d));
  const first = steps[0];
  if (first && waitMs !== undefined) {
    await ctx.clock.sleepUntil(first.exchange.receivedAtMs + waitMs + ctx.clock.marginMs);
    ctx.pool.windowEnded(caller.budget, ctx.clock.now());
    return 'spent-before';
  }
  const j = judgeContext(limits);
  const violations: Violation[] = [];
  for (const step of steps) violations.push(...judgeOutcome(j, step), ...judgeReports(j, step), ...judgeRejection(j, step));
  return { target, owner, caller, budgets, steps, end, violations };
}

/**
 * Spends the target limit from a fresh caller until it refuses; shared by the limit's checks. A budget
 * found spent by someone else on its first response is waited out, and the run starts once more; a run
 * that could not spend the limit within its window (a stalled machine) starts once more on a fresh caller.
 */
export const limitRun = (ctx: CheckContext, limits: PolicyLimits, target: LimitTarget): Promise<LimitRun> =>
  ctx.shared(`limit-run:${target.name}:${target.byIp ? 'ip' : 'key'}`, async () => {
    if (ctx.clock.kind === 'real' && target.planned.durationMs > REAL_RUN_BUDGET_MS)
      ctx.skip(
        `spending ${target.name} on ${target.operation.label} takes about ${formatDurationLong(target.planned.durationMs)} of real time (${target.planned.refusedAt} requests, waiting out the other limits' windows): run the server with shorter windows in CI, or verify the spec against the mock with --control`,
      );
    // Budgets found spent are waited out once: a server that reports a fresh budget as spent is judged as it is.
    let waited = false;
    for (let attempt = 0; ; attempt += 1) {
      const run = await attemptRun(ctx, limits, target, !waited);
      if (run === 'spent-before') {
        waited = true;
        continue;
      }
      if (run.end !== 'stalled' || attempt >= 2) return run;
    }
  });
