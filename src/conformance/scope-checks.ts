import { allSentHeaderNames } from '../core/headers/header-names.js';
import { type ExhaustRun, exhaustedNow, exhaustFresh, freshCallers, noPrincipal, requireRejection, surelyInWindow } from './budget-scenarios.js';
import { judgeBypassAnswer } from './bypass-judgement.js';
import type { CheckContext } from './check-context.js';
import type { CheckText, ConformanceCheck, Exchange, FindingKind } from './conformance-check.js';
import { isRejected, rejection, statusLine } from './expectations.js';
import type { Caller } from './key-pool.js';
import { bypassProbes, exemptWithQueries, type ProbeOperation } from './probe-plan.js';

/** Checks that count a budget are misled by any of these findings. */
const COUNTING: readonly FindingKind[] = ['counters', 'keying', 'lockout', 'limit'];

interface WhileExhausted {
  run: ExhaustRun;
  exempt: Exchange[];
  bypass: Exchange[];
  outOfScope: Exchange[];
}

/**
 * With one budget exhausted: every exempt operation (also with a query string), every bypass probe and
 * every out-of-scope operation as that caller. All of it must be answered before the window could have
 * ended (else a probe may have started a new window, and the probes after it spent that one): if not,
 * once more on a fresh budget. Shared by the exempt, bypass and scope checks.
 */
const whileExhausted = (ctx: CheckContext): Promise<WhileExhausted> =>
  ctx.shared('while-exhausted', async () => {
    let result: WhileExhausted | undefined;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const run = attempt === 0 ? await exhaustedNow(ctx) : await exhaustFresh(ctx);
      requireRejection(ctx, run, 'requests while a budget is exhausted');
      const caller = run.callers[0] as Caller;
      const during = `while ${run.owner}'s budget is exhausted`;
      const { probe } = ctx.plan;
      const exempt = await ctx.sendBatch(exemptWithQueries(ctx.plan).map((op) => ({ outgoing: op, caller, step: `exempt ${op.method} ${op.path} ${during}` })));
      const bypass = await ctx.sendBatch(bypassProbes(ctx.plan).map((path) => ({ outgoing: { ...probe, path }, caller, step: `bypass probe ${during}` })));
      const outOfScope = await ctx.sendBatch(
        ctx.plan.outOfScope.map((op) => ({ outgoing: op, caller, step: `out-of-scope ${op.method} ${op.path} ${during}` })),
      );
      result = { run, exempt, bypass, outOfScope };
      const last = [...exempt, ...bypass, ...outOfScope].pop();
      if (!last || surelyInWindow(ctx, run.exchanges[0] as Exchange, last)) break;
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
  const steps = Array.from({ length: limit - 1 }, (_, i) => ({ outgoing: probe, caller, step: `request ${i + 1} in a fresh window, limit ${limit}` }));
  for (const exchange of await ctx.sendBatch(steps)) {
    if (isRejected(ctx, exchange)) {
      ctx.fail({
        summary: `${exchange.step}: rejected before ${fresh.owner} had spent its limit of ${limit}, so whether ${what} requests spend budget cannot be told.`,
        expected: 'allowed',
        actual: statusLine(exchange.response.status),
        exchange,
      });
    }
  }
  await ctx.sendBatch(ops.flatMap((op) => [1, 2].map((n) => ({ outgoing: op, caller, step: `${what} ${op.method} ${op.path} (${n} of 2)` }))));
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
  blockedBy: ['counters'],
  async run(ctx: CheckContext) {
    needExempt(ctx);
    const { run, exempt } = await whileExhausted(ctx);
    for (const exchange of exempt) {
      if (isRejected(ctx, exchange)) {
        const query = exchange.request.path.includes('?') ? ' Exemptions must be matched on the path, without the query string.' : '';
        ctx.fail({
          summary: `${exchange.request.method} ${exchange.request.path} is exempt, but it was rejected while ${run.owner}'s budget was exhausted.${query}`,
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
    // The view's plain headers, and for a spec every header its style and limits may send (the header module's list).
    const sent = ctx.limits
      ? allSentHeaderNames(
          ctx.limits.policy.headers,
          ctx.limits.operations.flatMap((op) => op.limits.map((a) => a.limit)),
        )
      : [];
    const names = [...new Set([...Object.values(ctx.policy.headers).filter((n): n is string => typeof n === 'string'), ...sent])];
    if (names.length === 0) ctx.skip('the policy sends no rate-limit headers');
    const { exempt } = await whileExhausted(ctx);
    for (const exchange of exempt) {
      const present = names.filter((name) => exchange.response.headers[name] !== undefined);
      if (present.length > 0) {
        const query = exchange.request.path.includes('?') ? ' Exemptions must be matched on the path, without the query string.' : '';
        ctx.fail({
          summary: `${exchange.request.method} ${exchange.request.path} is exempt, but it carries ${present.join(', ')}: exempt routes are not rate-limited and must not describe a budget.${query}`,
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
  blockedBy: COUNTING,
  async run(ctx: CheckContext) {
    needExempt(ctx);
    await spendsNothing(ctx, exemptWithQueries(ctx.plan), 'exempt');
  },
});

/**
 * Near misses of exempt paths, and tricks that route to a limited route, never reach the limited
 * operation while the budget is exhausted: a probe fails only when the limited operation's own response
 * came back (see judgeBypassAnswer), not when another route (an exempt docs page) answered it.
 */
export const bypassProbesStayLimited = (text: CheckText): ConformanceCheck => ({
  ...text,
  blockedBy: ['counters'],
  async run(ctx: CheckContext) {
    const { run, exempt, bypass } = await whileExhausted(ctx);
    for (const exchange of bypass) {
      const verdict = judgeBypassAnswer(ctx, exchange, run.exchanges, exempt);
      if (!verdict.served) continue;
      const { status } = exchange.response;
      ctx.fail({
        summary: `${exchange.request.method} ${exchange.request.path} was served by ${ctx.plan.probe.method} ${ctx.plan.probe.template} (${status}; ${verdict.why}) while ${run.owner}'s budget was exhausted: the request reached the limited operation without being limited. Match exemptions exactly against the path the router uses (no prefix or substring matches, no query string), and limit what the router would normalize to a limited route.`,
        expected: `${rejection(ctx)}, or an answer that is not the limited operation's (another route's page, a 404, a redirect)`,
        actual: `${statusLine(status)}, the limited operation's response`,
        exchange,
      });
    }
  },
});

/** Routes outside the limited scope are served while the budget is exhausted, and spend nothing. */
export const outOfScopeNotLimited = (text: CheckText): ConformanceCheck => ({
  ...text,
  blockedBy: COUNTING,
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
          explainedBy: ['counters'],
        });
      }
    }
    await spendsNothing(ctx, ctx.plan.outOfScope, 'out-of-scope');
  },
});

/** Every operation inside the scope, at every depth, spends the one budget. */
export const everyOperationSpends = (text: CheckText): ConformanceCheck => ({
  ...text,
  blockedBy: COUNTING,
  async run(ctx: CheckContext) {
    const { limit } = ctx.policy;
    const others = ctx.plan.inScope.slice(1, 1 + limit);
    if (others.length === 0) ctx.skip('the spec declares only one operation inside the limited scope');
    const { probe } = ctx.plan;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const fresh = (await freshCallers(ctx, { anonymous: true })) ?? noPrincipal(ctx);
      const caller = fresh.callers[0] as Caller;
      const sequence = [...others, ...Array.from({ length: limit - others.length }, () => probe)];
      const exchanges = await ctx.sendBatch(
        sequence.map((op, i) => ({ outgoing: op, caller, step: `request ${i + 1} in a fresh window (${op.method} ${op.path}), limit ${limit}` })),
      );
      const early = exchanges.find((e) => isRejected(ctx, e));
      if (early) {
        ctx.fail({
          summary: `${early.step}: rejected before ${fresh.owner} had spent its limit of ${limit}.`,
          expected: 'allowed',
          actual: statusLine(early.response.status),
          exchange: early,
        });
      }
      const last = await ctx.send(probe, caller, `request ${limit + 1}, after ${limit} requests spread over the scope`);
      if (isRejected(ctx, last)) return;
      // A window that may have ended before the last request proves nothing: once more on a fresh budget.
      if (!surelyInWindow(ctx, exchanges[0] as Exchange, last) && attempt === 0) continue;
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
