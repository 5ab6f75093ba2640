import { formatDurationLong } from '../core/duration.js';
import { exhaustFresh, primaryRun, requireRejection, stillExhausted } from './budget-scenarios.js';
import type { CheckContext } from './check-context.js';
import type { CheckText, ConformanceCheck, Exchange } from './conformance-check.js';
import { expectFreshBudget, isRejected, rejection, statusLine, wholeSeconds } from './expectations.js';
import type { Caller } from './key-pool.js';

const statuses = (exchanges: Exchange[]) => exchanges.map((e) => e.response.status).join(', ');

/** Requests 1..limit of a fresh window are allowed and request limit+1 is rejected. */
export const rejectsAfterExactlyLimit = (text: CheckText): ConformanceCheck => ({
  ...text,
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
        ? ` The server announces ${header}: ${announced}; if that is the limit it runs with, pass --limit ${announced}.`
        : '';
    const expected = `requests 1–${limit} of a fresh window allowed, request ${limit + 1} answered ${rejection(ctx)}`;
    const at = run.rejectedAt;
    if (at === undefined) {
      ctx.fail({
        summary: `${run.owner} was never rejected: all ${run.exchanges.length} requests in one window were allowed.${waited}${hint}`,
        expected,
        actual: `statuses ${statuses(run.exchanges)}`,
        exchange: run.exchanges[limit],
      });
    }
    if (at <= limit) {
      const offByOne = at === limit ? ' That is off by one: it rejects at the limit instead of after it.' : '';
      ctx.fail({
        summary: `The server rejected request ${at} of a fresh window, before ${run.owner} had spent its limit of ${limit}.${offByOne}${waited}${hint}`,
        expected,
        actual: `request ${at} answered ${statusLine(ctx.policy.rejection.status)}`,
        exchange: run.rejection,
      });
    }
    if (at > limit + 1) {
      ctx.fail({
        summary: `Request ${limit + 1} was allowed; the first rejection came at request ${at}, so ${at - limit - 1} request(s) too many got through.${waited}${hint}`,
        expected,
        actual: `request ${limit + 1} answered ${statusLine(run.exchanges[limit]?.response.status ?? 0)}`,
        exchange: run.exchanges[limit],
      });
    }
  },
});
/** After a rejection, waiting (retry-after seconds, or the rest of the window) gives the budget back. */
export const budgetBack = (text: CheckText, via: 'retry-after' | 'window'): ConformanceCheck => ({
  ...text,
  async run(ctx: CheckContext) {
    const primary = await primaryRun(ctx);
    let run = stillExhausted(ctx, primary) ? primary : await exhaustFresh(ctx);
    requireRejection(ctx, run, 'that the budget comes back');
    let caller = run.callers[0] as Caller;
    let rejected = await ctx.send(ctx.plan.probe, caller, 'a request over the limit, to time the wait from');
    if (!isRejected(ctx, rejected)) {
      run = await exhaustFresh(ctx);
      caller = run.callers[0] as Caller;
      rejected = requireRejection(ctx, run, 'that the budget comes back');
    }
    const windowMs = ctx.policy.windowMs;
    const header = ctx.policy.headers.retryAfter;
    const retryAfter = via === 'retry-after' && header ? wholeSeconds(rejected.response.headers[header]) : undefined;
    let waitMs: number;
    let basis: string;
    if (retryAfter !== undefined) {
      waitMs = Math.min(retryAfter * 1000, windowMs);
      basis =
        retryAfter * 1000 <= windowMs ? `${header}: ${retryAfter} seconds` : `one window (${formatDurationLong(windowMs)}; ${header} said ${retryAfter} s)`;
    } else {
      waitMs = Math.max(0, Math.min(run.budget.freshAtMs - ctx.clock.marginMs - rejected.receivedAtMs, windowMs));
      basis = `the rest of the window (${formatDurationLong(windowMs)} from the window's first request)`;
    }
    await ctx.clock.sleepUntil(rejected.receivedAtMs + waitMs + ctx.clock.marginMs);
    const after = await ctx.send(ctx.plan.probe, caller, `first request after waiting ${basis}`);
    expectFreshBudget(ctx, after, {
      rejected: `After waiting ${basis}, ${run.owner} was still rejected: the budget did not come back when it should have.`,
      partial: (name, remaining) => `After the reset, ${name} reads ${remaining}: the budget came back only in part.`,
    });
  },
});
