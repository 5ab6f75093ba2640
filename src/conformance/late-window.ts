import { freshCallers, looksSpent, noPrincipal, waitForReset } from './budget-scenarios.js';
import type { CheckContext } from './check-context.js';
import type { Exchange } from './conformance-check.js';
import { isRejected } from './expectations.js';
import { type Caller, isStateUnknown } from './key-pool.js';

/**
 * One budget spent the way a steady client spends it: request 1 starts the window, requests 2..limit go
 * out spread over its first half, more requests from ¾ of the window on until the first rejection, and
 * one request just after the window has surely ended (one window after request 1 was answered).
 */
export interface LateWindowRun {
  owner: string;
  caller: Caller;
  first: Exchange;
  /** Requests 2..limit, spread over the first half of the window. */
  spread: Exchange[];
  /** Requests from ¾ of the window on, up to and including the first rejection. */
  late: Exchange[];
  /** The first rejection (normally the late one; earlier when fewer than `limit` requests were allowed). */
  rejection?: Exchange;
  /** The first request sent once the window had surely ended. */
  afterWindow?: Exchange;
  /** True when request 1 found spent a budget the suite had left alone for a full window. */
  spentAtStart: boolean;
}

/** When the server's window surely ends: it began no later than request 1 was answered. */
export const windowSurelyEndsAt = (ctx: CheckContext, run: Pick<LateWindowRun, 'first'>): number => run.first.receivedAtMs + ctx.policy.windowMs;

/** Requests 2..limit in up to four groups, at 1/8, 2/8, 3/8 and 4/8 of the window. */
function spreadGroups(limit: number): number[][] {
  const rest = Array.from({ length: Math.max(0, limit - 1) }, (_, i) => i + 2);
  const groups = Math.min(4, rest.length);
  return Array.from({ length: groups }, (_, g) => rest.slice(Math.floor((g * rest.length) / groups), Math.floor(((g + 1) * rest.length) / groups)));
}

type Again = 'spent' | 'stalled';

async function attemptLateWindow(ctx: CheckContext, background: boolean): Promise<LateWindowRun | Again> {
  const { limit, windowMs } = ctx.policy;
  const fresh = (await freshCallers(ctx, { anonymous: true })) ?? noPrincipal(ctx);
  const caller = fresh.callers[0] as Caller;
  const unknown = isStateUnknown(caller.budget);
  const options = { background };
  const first = await ctx.send(ctx.plan.probe, caller, `request 1 of a window spent late, limit ${limit}`, options);
  const run: LateWindowRun = { owner: fresh.owner, caller, first, spread: [], late: [], spentAtStart: false };
  if (looksSpent(ctx, first, unknown)) {
    // Spent by someone else (a previous run, say) before this run ever used it: wait for its reset.
    if (unknown) return waitForReset(ctx, first, caller.budget).then(() => 'spent' as const);
    run.spentAtStart = true;
    run.rejection = isRejected(ctx, first) ? first : undefined;
    return run;
  }
  for (const [g, numbers] of spreadGroups(limit).entries()) {
    await ctx.clock.sleepUntil(first.sentAtMs + ((g + 1) * windowMs) / 8);
    const items = numbers.map((n) => ({ outgoing: ctx.plan.probe, caller, step: `request ${n} of the window, spread over its first half (limit ${limit})` }));
    run.spread.push(...(await ctx.sendBatch(items, options)));
  }
  const early = run.spread.find((e) => isRejected(ctx, e));
  // A rejection before the limit on a budget of unknown state: someone else spent part of it; start over.
  if (early && unknown) return ctx.clock.sleepUntil((caller.budget.lastSentMs ?? 0) + windowMs + ctx.clock.marginMs).then(() => 'spent' as const);
  run.rejection ??= early;
  await ctx.clock.sleepUntil(first.sentAtMs + (3 * windowMs) / 4);
  for (let n = 1 + run.spread.length + 1; n <= limit + 3; n += 1) {
    if (ctx.clock.now() >= windowSurelyEndsAt(ctx, run) - ctx.clock.marginMs) return 'stalled';
    const exchange = await ctx.send(ctx.plan.probe, caller, `request ${n} of the window, sent late in it (limit ${limit})`, options);
    run.late.push(exchange);
    if (isRejected(ctx, exchange)) {
      run.rejection ??= exchange;
      break;
    }
  }
  await ctx.clock.sleepUntil(windowSurelyEndsAt(ctx, run) + ctx.clock.marginMs);
  run.afterWindow = await ctx.send(ctx.plan.probe, caller, 'the first request one window after request 1 was answered', options);
  return run;
}

/**
 * The late-window scenario, run once per session and shared. Against a real server it starts as the
 * session opens (see the checks' `prepare`), beside the other checks, so that its window passes while they
 * run. It starts over once (on a fresh budget) when its budget turns out to have been spent by someone else,
 * or when the machine stalled so long that the late requests missed the window.
 */
export const lateWindow = (ctx: CheckContext, background = false): Promise<LateWindowRun> =>
  ctx.shared('background:late-window', async () => {
    const outcomes: Again[] = [];
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const run = await attemptLateWindow(ctx, background);
      if (typeof run !== 'string') return run;
      outcomes.push(run);
    }
    if (outcomes.includes('spent'))
      return ctx.fail({
        summary: `Failed to find a budget of its own for the late-window scenario: twice, a budget the suite had not used yet was already spent (fully or in part) when the scenario began. Something else spends it: budgets shared between ${ctx.policy.key.by === 'ip' ? 'addresses' : `${ctx.policy.key.principal}s`}, or other traffic with the same credentials.`,
        expected: 'a fresh budget',
        actual: 'a spent one, twice',
        explainedBy: ['keying', 'counters', 'limit'],
      });
    return ctx.skip(
      'two late-window scenarios in a row could not send their late requests inside the window (the machine stalled for over a quarter of a window); run again, or with a longer window',
    );
  });

/** Seconds relative to the window's first request, for messages: `1.50 s`. */
export const intoWindow = (run: Pick<LateWindowRun, 'first'>, atMs: number): string => `${((atMs - run.first.sentAtMs) / 1000).toFixed(2)} s`;
