import { type ExhaustRun, exhaustedNow, exhaustFresh, freshCallers, noPrincipal, requireRejection } from './budget-scenarios.js';
import type { CheckContext } from './check-context.js';
import type { CheckText, ConformanceCheck, Exchange } from './conformance-check.js';
import { isRejected, rejection, statusLine } from './expectations.js';
import type { Caller } from './key-pool.js';
import { bypassProbes, type ProbeOperation } from './probe-plan.js';

interface WhileExhausted {
  run: ExhaustRun;
  exempt: Exchange[];
  bypass: Exchange[];
  outOfScope: Exchange[];
}

/**
 * With one budget exhausted: every exempt operation, every bypass probe and every out-of-scope operation
 * as that caller, then the limited route again to confirm the window had not ended meanwhile (if it had,
 * once more on a fresh budget). Shared by the exempt, bypass and scope checks.
 */
const whileExhausted = (ctx: CheckContext): Promise<WhileExhausted> =>
  ctx.shared('while-exhausted', async () => {
    let result: WhileExhausted | undefined;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const run = attempt === 0 ? await exhaustedNow(ctx) : await exhaustFresh(ctx);
      requireRejection(ctx, run, 'requests while a budget is exhausted');
      const caller = run.callers[0] as Caller;
      const during = `while ${run.owner}'s budget is exhausted`;
      const exempt: Exchange[] = [];
      for (const op of ctx.plan.exempt) exempt.push(await ctx.send(op, caller, `exempt ${op.method} ${op.path} ${during}`));
      const bypass: Exchange[] = [];
      const { probe } = ctx.plan;
      for (const path of bypassProbes(ctx.plan)) bypass.push(await ctx.send({ ...probe, path }, caller, `bypass probe ${during}`));
      const outOfScope: Exchange[] = [];
      for (const op of ctx.plan.outOfScope) outOfScope.push(await ctx.send(op, caller, `out-of-scope ${op.method} ${op.path} ${during}`));
      result = { run, exempt, bypass, outOfScope };
      if (isRejected(ctx, await ctx.send(probe, caller, `the limited route again ${during}`))) break;
    }
    return result as WhileExhausted;
  });

/**
 * On a fresh budget: limit − 1 requests to the limited route, two to each of `ops`, then one more to the
 * limited route, which must still be allowed if `ops` spent nothing.
 */
async function spendsNothing(ctx: CheckContext, ops: ProbeOperation[], what: string): Promise<void> {
  const fresh = (await freshCallers(ctx, { anonymous: true })) ?? noPrincipal(ctx);
  const caller = fresh.callers[0] as Caller;
  const { limit } = ctx.policy;
  const { probe } = ctx.plan;
  for (let i = 1; i < limit; i += 1) {
    const exchange = await ctx.send(probe, caller, `request ${i} in a fresh window, limit ${limit}`);
    if (isRejected(ctx, exchange)) {
      ctx.fail({
        summary: `Request ${i} of a fresh window was rejected before ${fresh.owner} had spent its limit of ${limit}, so whether ${what} requests spend budget cannot be told.`,
        expected: 'allowed',
        actual: statusLine(exchange.response.status),
        exchange,
      });
    }
  }
  for (const op of ops) for (const n of [1, 2]) await ctx.send(op, caller, `${what} ${op.method} ${op.path} (${n} of 2)`);
  const last = await ctx.send(probe, caller, `request ${limit} of the window, after the ${what} requests`);
  if (isRejected(ctx, last)) {
    const list = ops.map((op) => `${op.method} ${op.path}`).join(', ');
    ctx.fail({
      summary: `After ${limit - 1} request(s) to ${probe.method} ${probe.path} and ${ops.length * 2} to ${what} routes (${list}), request ${limit} was rejected: the ${what} requests spent ${fresh.owner}'s budget.`,
      expected: `allowed (request ${limit} of a limit of ${limit})`,
      actual: statusLine(last.response.status),
      exchange: last,
    });
  }
}

const needExempt = (ctx: CheckContext) => (ctx.plan.exempt.length > 0 ? undefined : ctx.skip('the policy exempts no path'));

/** Exempt routes are answered while the budget is exhausted. */
export const exemptServedWhileExhausted = (text: CheckText): ConformanceCheck => ({
  ...text,
  async run(ctx: CheckContext) {
    needExempt(ctx);
    const { run, exempt } = await whileExhausted(ctx);
    for (const exchange of exempt) {
      if (isRejected(ctx, exchange)) {
        ctx.fail({
          summary: `${exchange.request.method} ${exchange.request.path} is exempt, but it was rejected while ${run.owner}'s budget was exhausted.`,
          expected: `answered without ${rejection(ctx)}`,
          actual: statusLine(exchange.response.status),
          exchange,
        });
      }
    }
  },
});

/** Exempt routes carry none of the rate-limit headers. */
export const exemptSendsNoHeaders = (text: CheckText): ConformanceCheck => ({
  ...text,
  async run(ctx: CheckContext) {
    needExempt(ctx);
    const names = Object.values(ctx.policy.headers).filter((n): n is string => typeof n === 'string');
    if (names.length === 0) ctx.skip('the policy sends no rate-limit headers');
    const { exempt } = await whileExhausted(ctx);
    for (const exchange of exempt) {
      const present = names.filter((name) => exchange.response.headers[name] !== undefined);
      if (present.length > 0) {
        ctx.fail({
          summary: `${exchange.request.method} ${exchange.request.path} is exempt, but it carries ${present.join(', ')}: exempt routes are not rate-limited and must not describe a budget.`,
          expected: `none of ${names.join(', ')}`,
          actual: present.map((n) => `${n}: ${exchange.response.headers[n]}`).join(', '),
          exchange,
        });
      }
    }
  },
});

/** Requests to exempt routes spend no budget. */
export const exemptSpendsNothing = (text: CheckText): ConformanceCheck => ({
  ...text,
  async run(ctx: CheckContext) {
    needExempt(ctx);
    await spendsNothing(ctx, ctx.plan.exempt, 'exempt');
  },
});

/** Near misses of exempt paths, and tricks that route to a limited route, are never served while the budget is exhausted. */
export const bypassProbesStayLimited = (text: CheckText): ConformanceCheck => ({
  ...text,
  async run(ctx: CheckContext) {
    const { run, bypass } = await whileExhausted(ctx);
    for (const exchange of bypass) {
      const { status } = exchange.response;
      if (status >= 200 && status < 300) {
        ctx.fail({
          summary: `${exchange.request.method} ${exchange.request.path} was served (${status}) while ${run.owner}'s budget was exhausted: the request reached a route without being limited. Match exemptions exactly against the path the router uses (no prefix or substring matches, no query string), and limit what the router would normalize to a limited route.`,
          expected: `${rejection(ctx)} (or any non-2xx answer)`,
          actual: statusLine(status),
          exchange,
        });
      }
    }
  },
});

/** Routes outside the limited scope are served while the budget is exhausted, and spend nothing. */
export const outOfScopeNotLimited = (text: CheckText): ConformanceCheck => ({
  ...text,
  async run(ctx: CheckContext) {
    if (ctx.plan.outOfScope.length === 0) ctx.skip('the spec declares no operation outside the limited scope');
    const { run, outOfScope } = await whileExhausted(ctx);
    for (const exchange of outOfScope) {
      if (isRejected(ctx, exchange)) {
        ctx.fail({
          summary: `${exchange.request.method} ${exchange.request.path} is outside the limited scope (${ctx.policy.include.join(', ')}), but it was rejected while ${run.owner}'s budget was exhausted.`,
          expected: `answered without ${rejection(ctx)}`,
          actual: statusLine(exchange.response.status),
          exchange,
        });
      }
    }
    await spendsNothing(ctx, ctx.plan.outOfScope, 'out-of-scope');
  },
});

/** Every operation inside the scope, at every depth, spends the one budget. */
export const everyOperationSpends = (text: CheckText): ConformanceCheck => ({
  ...text,
  async run(ctx: CheckContext) {
    const { limit } = ctx.policy;
    const others = ctx.plan.inScope.slice(1, 1 + limit);
    if (others.length === 0) ctx.skip('the spec declares only one operation inside the limited scope');
    const fresh = (await freshCallers(ctx, { anonymous: true })) ?? noPrincipal(ctx);
    const caller = fresh.callers[0] as Caller;
    const { probe } = ctx.plan;
    const sequence = [...others, ...Array.from({ length: limit - others.length }, () => probe)];
    for (const [i, op] of sequence.entries()) {
      const exchange = await ctx.send(op, caller, `request ${i + 1} in a fresh window, limit ${limit}`);
      if (isRejected(ctx, exchange)) {
        ctx.fail({
          summary: `Request ${i + 1} of a fresh window (${op.method} ${op.path}) was rejected before ${fresh.owner} had spent its limit of ${limit}.`,
          expected: 'allowed',
          actual: statusLine(exchange.response.status),
          exchange,
        });
      }
    }
    const last = await ctx.send(probe, caller, `request ${limit + 1}, after ${limit} requests spread over the scope`);
    if (!isRejected(ctx, last)) {
      const list = others.map((op) => `${op.method} ${op.path}`).join(', ');
      ctx.fail({
        summary: `After ${limit} requests spread over the limited scope (one each to ${list}; the rest to ${probe.method} ${probe.path}), request ${limit + 1} was still allowed: at least one of those routes spent no budget.`,
        expected: rejection(ctx),
        actual: statusLine(last.response.status),
        exchange: last,
      });
    }
  },
});
