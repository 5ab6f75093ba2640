import { formatDurationLong } from '../core/duration.js';
import { optionLabel } from '../core/option-names.js';
import { type ExhaustRun, exhaustFresh, primaryRun, requireRejection, stillExhausted } from './budget-scenarios.js';
import type { CheckContext } from './check-context.js';
import type { CheckText, ConformanceCheck, Exchange } from './conformance-check.js';
import { describeRepeats } from './connection-checks.js';
import { expectFreshBudget, isRejected, rejection, statusLine, wholeSeconds } from './expectations.js';
import type { Caller } from './key-pool.js';

const statuses = (exchanges: Exchange[]) => exchanges.map((e) => e.response.status).join(', ');

/** Requests 1..limit of a fresh window are allowed and request limit+1 is rejected. */
export const rejectsAfterExactlyLimit = (text: CheckText): ConformanceCheck => ({
  ...text,
  foundation: true,
  async run(ctx: CheckContext) {
    const run = await primaryRun(ctx);
    const { limit } = ctx.policy;
    const waited = run.restarted
      ? ' (Its first request found the budget apparently spent already, so the suite waited for the window to reset and started again.)'
      : '';
    const header = ctx.policy.headers.limit;
    const announced = header ? run.exchanges[0]?.response.headers[header] : undefined;
    const hint =
      header && announced !== undefined && announced !== String(limit)
        ? ` The server announces ${header}: ${announced}; if that is the limit it runs with, pass ${optionLabel('limit', ctx.spelling).pass(Number(announced) || announced)}.`
        : '';
    const repeats = describeRepeats(
      ctx,
      run.exchanges.filter((e) => !isRejected(ctx, e)),
    );
    const counters = repeats ? ` ${repeats}: several counters (see budget-shared-across-connections)?` : '';
    const expected = `requests 1–${limit} of a fresh window allowed, request ${limit + 1} answered ${rejection(ctx)}`;
    const at = run.rejectedAt;
    if (run.spentAtStart) {
      ctx.fail({
        summary: `The first request of ${run.owner} was refused although the suite had not used that budget for over a window: it did not come back when its window ended.`,
        expected,
        actual: statusLine(run.exchanges[0]?.response.status ?? 0),
        exchange: run.exchanges[0],
        finding: 'lockout',
      });
    }
    if (at === undefined) {
      ctx.fail({
        summary: `${run.owner} was never rejected: all ${run.exchanges.length} requests in one window were allowed.${waited}${hint}${counters}`,
        expected,
        actual: `statuses ${statuses(run.exchanges)}`,
        exchange: run.exchanges[limit],
        finding: 'limit',
      });
    }
    if (at <= limit) {
      const offByOne = at === limit ? ' That is off by one: it rejects at the limit instead of after it.' : '';
      ctx.fail({
        summary: `The server rejected request ${at} of a fresh window, before ${run.owner} had spent its limit of ${limit}.${offByOne}${waited}${hint}`,
        expected,
        actual: `request ${at} answered ${statusLine(ctx.policy.rejection.status)}`,
        exchange: run.rejection,
        finding: 'limit',
      });
    }
    if (at > limit + 1) {
      ctx.fail({
        summary: `Request ${limit + 1} was allowed; the first rejection came at request ${at}, so ${at - limit - 1} request(s) too many got through.${waited}${hint}${counters}`,
        expected,
        actual: `request ${limit + 1} answered ${statusLine(run.exchanges[limit]?.response.status ?? 0)}`,
        exchange: run.exchanges[limit],
        finding: 'limit',
      });
    }
  },
});

/**
 * The rejection to time the wait from: the primary run's while its window lasts (or, to wait for the end
 * of the window, as long as nothing started a new window of that budget), else a fresh budget's. Waiting
 * out retry-after needs its deadline still ahead: if it has passed already, a new rejection is taken.
 */
async function rejectionToWaitFrom(ctx: CheckContext, via: 'retry-after' | 'window', fresh: boolean): Promise<{ run: ExhaustRun; rejected: Exchange }> {
  const primary = await primaryRun(ctx);
  const untouched = primary.rejection !== undefined && !primary.spentAtStart && primary.budget.generation === primary.generation;
  if (!fresh && via === 'window' && untouched) return { run: primary, rejected: primary.rejection as Exchange };
  const run = !fresh && stillExhausted(ctx, primary) ? primary : await exhaustFresh(ctx);
  const rejected = requireRejection(ctx, run, 'that the budget comes back');
  if (via === 'window' || deadline(ctx, via, rejected) > ctx.clock.now() + ctx.clock.marginMs) return { run, rejected };
  const again = await ctx.send(ctx.plan.probe, run.callers[0] as Caller, 'a request over the limit, to time the wait from');
  return isRejected(ctx, again) ? { run, rejected: again } : rejectionToWaitFrom(ctx, via, true);
}

/** When the budget must be back: retry-after (bounded by the window) after the rejection, else the window after its first request. */
function deadline(ctx: CheckContext, via: 'retry-after' | 'window', rejected: Exchange, first?: Exchange): number {
  const header = ctx.policy.headers.retryAfter;
  const retryAfter = via === 'retry-after' && header ? wholeSeconds(rejected.response.headers[header]) : undefined;
  if (retryAfter !== undefined) return rejected.receivedAtMs + Math.min(retryAfter * 1000, ctx.policy.windowMs);
  return (first ?? rejected).receivedAtMs + ctx.policy.windowMs;
}

/** A probe sent this long after its deadline proves nothing about a deadline that is a second short. */
const LATE_PROBE_MS = 250;

/**
 * After a rejection, waiting (retry-after seconds, or the rest of the window) gives the budget back. A
 * remaining count short of a full budget is looked at again once every request of the old window is a
 * window old: a rolling window (a sliding log) frees each slot one window after its request. A probe the
 * machine sent late, and that was allowed, proves nothing: once more, from a new rejection.
 */
export const budgetBack = (text: CheckText, via: 'retry-after' | 'window'): ConformanceCheck => ({
  ...text,
  blockedBy: ['counters', 'keying', 'lockout', 'limit'],
  async run(ctx: CheckContext) {
    for (let attempt = 0; ; attempt += 1) {
      const { run, rejected } = await rejectionToWaitFrom(ctx, via, attempt > 0);
      const caller = run.callers[0] as Caller;
      const first = run.exchanges[0] as Exchange;
      const header = ctx.policy.headers.retryAfter;
      const retryAfter = via === 'retry-after' && header ? wholeSeconds(rejected.response.headers[header]) : undefined;
      const windowMs = ctx.policy.windowMs;
      const basis =
        retryAfter === undefined
          ? `the rest of the window (${formatDurationLong(windowMs)} from the window's first request)`
          : retryAfter * 1000 <= windowMs
            ? `${header}: ${retryAfter} seconds`
            : `one window (${formatDurationLong(windowMs)}; ${header} said ${retryAfter} s)`;
      const due = deadline(ctx, retryAfter === undefined ? 'window' : 'retry-after', rejected, first);
      await ctx.clock.sleepUntil(due + ctx.clock.marginMs);
      let after = await ctx.send(ctx.plan.probe, caller, `first request after waiting ${basis}`);
      if (!isRejected(ctx, after) && after.sentAtMs > due + LATE_PROBE_MS && attempt === 0 && ctx.clock.kind === 'real') continue;
      const name = ctx.policy.headers.remaining;
      const short =
        name !== undefined && !isRejected(ctx, after) && (wholeSeconds(after.response.headers[name]) ?? ctx.policy.limit - 1) < ctx.policy.limit - 1;
      const lastAllowed = run.exchanges.filter((e) => !isRejected(ctx, e)).pop() ?? first;
      if (short && lastAllowed.sentAtMs > first.receivedAtMs) {
        await ctx.clock.sleepUntil(lastAllowed.receivedAtMs + windowMs + ctx.clock.marginMs);
        after = await ctx.send(ctx.plan.probe, caller, 'a request once every request of the old window was a window old');
      }
      expectFreshBudget(ctx, after, {
        rejected: `After waiting ${basis}, ${run.owner} was still rejected: the budget did not come back when it should have.`,
        partial: (headerName, remaining) =>
          `After the reset, and once every request of the old window was a window old, ${headerName} reads ${remaining}: the budget came back only in part.`,
      });
      return;
    }
  },
});
