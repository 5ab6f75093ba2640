// The checks derived from the policy for each declared limit: one run per limit spends it from a fresh
// caller until it refuses (waiting out other limits when they would decide first), and each check judges
// one aspect of that run. Every clause quotes the spec field it enforces (file#JSON pointer: value).

import type { CheckContext } from '../check-context.js';
import type { ConformanceCheck, FindingKind } from '../conformance-check.js';
import { statusLine } from '../expectations.js';
import type { PolicyLimits } from './limit-model.js';
import { type LimitRun, limitRun } from './limit-run.js';
import { anonymousTarget, type LimitTarget, planTargets } from './limit-targets.js';
import { scopeProbe } from './operation-scope.js';
import type { ViolationKind } from './run-facts.js';

const COUNTING: readonly FindingKind[] = ['counters', 'keying', 'lockout'];

/** Where the suite spends the limit (planned once per session, in virtual time, against the policy). */
async function targetOf(ctx: CheckContext, limits: PolicyLimits, name: string): Promise<LimitTarget> {
  const targets = await ctx.shared('background:limit-targets', () =>
    planTargets(limits, { principals: ctx.pool.principalCount > 0, marginMs: ctx.clock.marginMs }),
  );
  const found = targets.find((t) => t.name === name);
  if (!found || !('operation' in found)) return ctx.skip(found && 'reason' in found ? found.reason : `${name} is not a limit of this spec`);
  return found;
}

/** Fails the check with the run's first violation of `kind`. */
function failWith(ctx: CheckContext, run: LimitRun, kind: ViolationKind): void {
  const found = run.violations.find((v) => v.kind === kind);
  if (found) ctx.fail({ summary: found.summary, expected: found.expected, actual: found.actual, exchange: found.exchange });
}

/** The run, skipped with its reason when it could not spend the limit. */
async function exhaustedRun(ctx: CheckContext, limits: PolicyLimits, name: string): Promise<LimitRun> {
  const run = await limitRun(ctx, limits, await targetOf(ctx, limits, name));
  if (run.end === 'stalled')
    ctx.skip(
      `the run could not spend ${name} within one of its windows: the requests came back too slowly (a loaded machine); run again, or use longer windows`,
    );
  if (run.end === 'never' || run.end === 'too-long') ctx.skip(`the run could not spend ${name}: another limit kept it from running out`);
  return run;
}

const refusedByTarget = (ctx: CheckContext, run: LimitRun) =>
  run.steps.find((s) => s.decider === run.target.index) ??
  ctx.skip(`no request of the run was refused by ${run.target.name} for sure (see spec/limits/${run.target.name}/refused-when-spent)`);

/** The per-limit checks of a spec's policy: for each declared limit, in the order the spec declares them. */
export function perLimitChecks(limits: PolicyLimits): ConformanceCheck[] {
  const checks: ConformanceCheck[] = [];
  const { policy } = limits;
  const headers = limits.quote('/x-rate-limit/headers');
  for (const name of limits.names) {
    const places = limits.operations.flatMap((op) => op.limits.filter((a) => a.limit.name === name).map((a) => ({ op, a })));
    const first = places[0];
    if (!first) continue;
    const { a } = first;
    const costs = [...new Set(places.flatMap(({ a: p }) => (p.costPointer ? [limits.quote(p.costPointer)] : [])))];
    const declared = [limits.quote(a.pointer), ...costs].join(' … ');
    const id = (what: string) => `spec/limits/${name}/${what}`;
    checks.push(
      {
        id: id('refused-when-spent'),
        title: `${name}: every request it has room for is allowed, and the first it has no room for (its cost counted) is refused with ${statusLine(a.limit.rejection.status)}`,
        clause: declared,
        blockedBy: COUNTING,
        async run(ctx) {
          const run = await exhaustedRun(ctx, limits, name);
          failWith(ctx, run, 'outcome');
          if (run.end === 'limit-reached' && !run.steps.some((s) => s.observed.kind === 'refused'))
            ctx.skip(`the run could not tell when ${name} must refuse (budgets the suite cannot know decide it)`);
        },
      },
      {
        id: id('reports-deciding-limit'),
        title: `${name}: a response it refuses reports ${name} as the limit that ran out, and other responses report the limit closest to running out`,
        clause: `${limits.quote(a.pointer)} … ${headers}`,
        blockedBy: COUNTING,
        async run(ctx) {
          const run = await exhaustedRun(ctx, limits, name);
          if (!a.limit.report) ctx.skip(`${name} reports no headers (report: false)`);
          failWith(ctx, run, 'decider');
          refusedByTarget(ctx, run);
        },
      },
      {
        id: id('rejection-as-declared'),
        title: `${name}: its refusal has the declared content type, body and retry-after`,
        clause: limits.quote(a.rejectionPointer),
        blockedBy: COUNTING,
        async run(ctx) {
          const run = await exhaustedRun(ctx, limits, name);
          refusedByTarget(ctx, run);
          failWith(ctx, run, 'rejection');
        },
      },
      {
        id: id('remaining-spends-cost'),
        title: `${name}: along its run, every remaining the headers report goes down by its limit's cost per request`,
        clause: `${declared} … ${headers}`,
        blockedBy: COUNTING,
        async run(ctx) {
          const run = await exhaustedRun(ctx, limits, name);
          failWith(ctx, run, 'remaining');
        },
      },
      {
        id: id('headers-as-declared'),
        title: `${name}: every response of its run carries the ${policy.headers.style === 'named' ? 'declared headers' : `${policy.headers.style} fields`}, read as declared (limits, windows, resets)`,
        clause: headers,
        async run(ctx) {
          const run = await exhaustedRun(ctx, limits, name);
          failWith(ctx, run, 'format');
        },
      },
    );
    const fallback = places.find(({ a: p }) => p.limit.key.by !== 'ip' && p.limit.fallbackLimit !== undefined)?.a;
    if (fallback) {
      checks.push({
        id: id('fallback-limit'),
        title: `${name}: requests without a credential are keyed by their IP and get its fallbackLimit of ${fallback.limit.fallbackLimit}`,
        clause: limits.quote(`${fallback.pointer}/fallbackLimit`),
        blockedBy: COUNTING,
        async run(ctx) {
          if (ctx.pool.principalCount === 0) ctx.skip(`the other checks of ${name} run without a credential already (the credentials file names no principal)`);
          const target = await targetOf(ctx, limits, name);
          const anonymous = await ctx.shared(`background:limit-target:${name}:ip`, () => anonymousTarget(target, policy.stacking, ctx.clock.marginMs));
          if (!('operation' in anonymous)) return ctx.skip(anonymous.reason);
          const run = await limitRun(ctx, limits, anonymous);
          for (const kind of ['outcome', 'decider', 'remaining', 'format', 'rejection'] as const) failWith(ctx, run, kind);
        },
      });
    }
    const elsewhere = limits.operations.filter((op) => !op.limits.some((p) => p.bucket === a.bucket));
    if (elsewhere.length > 0) {
      const applies = limits.operations.filter((op) => op.limits.some((p) => p.bucket === a.bucket)).map((op) => op.label);
      checks.push({
        id: id('only-on-its-operations'),
        title: `${name} applies to ${applies.join(', ')} only: with it spent, a request elsewhere is allowed and does not report it`,
        clause: [
          limits.quote(a.overridePointer ?? a.pointer),
          ...places.flatMap(({ a: p }) => (p.overridePointer && p.overridePointer !== a.overridePointer ? [limits.quote(p.overridePointer)] : [])),
        ].join(' … '),
        blockedBy: COUNTING,
        async run(ctx) {
          const probe = await scopeProbe(ctx, limits, await targetOf(ctx, limits, name));
          const found = probe.violations[0];
          if (found) ctx.fail({ summary: found.summary, expected: found.expected, actual: found.actual, exchange: found.exchange });
          if (probe.skip) ctx.skip(probe.skip);
        },
      });
    }
  }
  return checks;
}
