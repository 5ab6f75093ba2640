import { optionLabel } from '../core/option-names.js';
import { exhaust, exhaustFresh, freshCallers, noPrincipal, primaryRun, requireRejection, stillExhausted, surelyInWindow } from './budget-scenarios.js';
import type { CheckContext } from './check-context.js';
import type { CheckText, ConformanceCheck, Exchange } from './conformance-check.js';
import { CheckFailure } from './conformance-check.js';
import { expectFreshBudget, isRejected, rejection, statusLine } from './expectations.js';
import type { Caller } from './key-pool.js';

/** Spending one principal's budget leaves another principal's untouched. */
export const otherPrincipalUnaffected = (text: CheckText): ConformanceCheck => ({
  ...text,
  foundation: true,
  blockedBy: ['counters', 'lockout', 'limit'],
  async run(ctx: CheckContext) {
    const primary = await primaryRun(ctx);
    const other = await freshCallers(ctx, { avoid: [primary.owner] });
    if (!other) {
      if (ctx.policy.key.by === 'ip') ctx.skip('the suite can send from only one source address (use a 127.0.0.1 target on Linux)');
      if (ctx.pool.principalCount === 0) noPrincipal(ctx);
      ctx.skip('the credentials file names only one principal; add a second to check that budgets are separate');
    }
    const run = stillExhausted(ctx, primary) ? primary : await exhaustFresh(ctx, [other.owner]);
    requireRejection(ctx, run, 'that other budgets are untouched');
    const first = await ctx.send(ctx.plan.probe, other.callers[0] as Caller, `first request of ${other.owner}, while ${run.owner}'s budget is exhausted`);
    const keyed = ctx.policy.key.by === 'ip' ? 'client IP' : ctx.policy.key.principal;
    const sameAddress = ctx.policy.key.by !== 'ip' && other.callers[0]?.localAddress === run.callers[0]?.localAddress;
    const why = sameAddress
      ? ` Both were sent from the same address (${run.callers[0]?.localAddress ?? 'this host'}): keyed by IP instead of by ${keyed}, or one budget for all?`
      : '';
    try {
      expectFreshBudget(ctx, first, {
        rejected: `${other.owner} was rejected although only ${run.owner} had spent its budget: the budget is not kept per ${keyed}.${why}`,
        partial: (name, remaining) =>
          `${other.owner}'s first request shows ${name}: ${remaining}, as if it shared ${run.owner}'s budget: the budget is not kept per ${keyed}.${why}`,
      });
    } catch (error) {
      if (error instanceof CheckFailure) error.detail.finding = 'keying';
      throw error;
    }
  },
});
/** Every credential of one principal spends the same budget. */
export const credentialsShareBudget = (text: CheckText): ConformanceCheck => ({
  ...text,
  blockedBy: ['counters', 'keying', 'lockout', 'limit'],
  async run(ctx: CheckContext) {
    const fresh = await freshCallers(ctx, { minCredentials: 2 });
    if (!fresh)
      ctx.skip(
        `the credentials file has no ${ctx.policy.key.by === 'ip' ? 'principal' : ctx.policy.key.principal} with two credentials; add a second credential (e.g. a second API key) to one to check that they share a budget`,
      );
    const run = await exhaust(ctx, fresh.owner, fresh.callers);
    const { limit } = ctx.policy;
    const spread = `${limit} requests spread over ${fresh.callers.length} credentials of ${fresh.owner}`;
    if (run.rejectedAt !== undefined && run.rejectedAt <= limit) {
      ctx.fail({
        summary: `Request ${run.rejectedAt} (${run.rejection?.caller}) was rejected before ${fresh.owner} had spent its limit of ${limit}.`,
        expected: `${spread} allowed, request ${limit + 1} rejected`,
        actual: statusLine(run.rejection?.response.status ?? 0),
        exchange: run.rejection,
      });
    }
    if (run.rejectedAt !== limit + 1) {
      const next = run.exchanges[limit];
      ctx.fail({
        summary: `After ${spread}, request ${limit + 1} (${next?.caller}) was still allowed: each credential has a budget of its own instead of sharing ${fresh.owner}'s.`,
        expected: `request ${limit + 1} answered ${rejection(ctx)}`,
        actual: statusLine(next?.response.status ?? 0),
        exchange: next,
      });
    }
  },
});
/** Requests whose credential resolves to no principal are limited by client IP, and unknown credentials mint no budget. */
export const unresolvedKeyedByIp = (text: CheckText): ConformanceCheck => ({
  ...text,
  blockedBy: ['counters', 'keying', 'lockout', 'limit'],
  async run(ctx: CheckContext) {
    const { key } = ctx.policy;
    if (key.by === 'ip') ctx.skip('the policy keys every request by IP');
    const anonymous = (await ctx.pool.address()) as Caller;
    const where = anonymous.localAddress ?? 'this host';
    const run = await exhaust(ctx, `anonymous callers from ${where}`, [anonymous]);
    const { limit } = ctx.policy;
    if (run.rejectedAt !== limit + 1) {
      const shown = run.rejectedAt === undefined ? run.exchanges[limit] : run.rejection;
      const what = run.rejectedAt === undefined ? `all ${run.exchanges.length} were allowed` : `request ${run.rejectedAt} was the first rejected`;
      ctx.fail({
        summary: `Requests without a credential from ${where} are not limited by IP: ${what}.`,
        expected: `requests 1–${limit} allowed (any status but ${ctx.policy.rejection.status}), request ${limit + 1} rejected`,
        actual: statusLine(shown?.response.status ?? 0),
        exchange: shown,
      });
    }
    const otherAddress = async () => {
      if (ctx.pool.addressCount < 2) return;
      const other = (await ctx.pool.address({ avoid: [anonymous.localAddress] })) as Caller;
      const elsewhere = await ctx.send(ctx.plan.probe, other, `first request without a credential from another address (${other.localAddress})`);
      if (isRejected(ctx, elsewhere)) {
        ctx.fail({
          summary: `A request without a credential from ${other.localAddress} was rejected although only ${where} had spent its budget: unresolved requests share one budget instead of one per IP.`,
          expected: 'allowed (any status but the rejection)',
          actual: statusLine(elsewhere.response.status),
          exchange: elsewhere,
        });
      }
    };
    if (key.by === 'header' && ctx.pool.principalCount === 0) {
      await otherAddress();
      ctx.skip(
        `requests without ${key.header} are limited per IP (checked), but whether an unknown ${key.header} mints a budget cannot be told without a credentials file: with key.by "header" every value the server does not know is a key of its own to it; pass ${optionLabel('credentials', ctx.spelling).name} with the ${key.principal} keys the server knows`,
      );
    }
    const scheme = key.by === 'principal' && key.scheme ? `${key.scheme} ` : '';
    const unknown = { ...anonymous, headers: { [key.header]: `${scheme}rlc-unknown-${Math.random().toString(36).slice(2, 10)}` } };
    const minted = await ctx.send(ctx.plan.probe, unknown, `a request with an unknown credential, from ${where} after its budget was spent`);
    if (!isRejected(ctx, minted) && !surelyInWindow(ctx, run.exchanges[0] as Exchange, minted)) {
      ctx.skip(
        `the machine stalled past ${where}'s window before the unknown-credential request went out, so whether it mints a budget cannot be told this run`,
      );
    }
    if (!isRejected(ctx, minted)) {
      ctx.fail({
        summary: `A credential that resolves to no ${key.principal} got a fresh budget: it must be keyed by the IP (${where}), whose budget is spent, or anyone could mint budgets with made-up keys.`,
        expected: rejection(ctx),
        actual: statusLine(minted.response.status),
        exchange: minted,
      });
    }
    await otherAddress();
  },
});
