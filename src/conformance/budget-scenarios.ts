import { optionLabel } from '../core/option-names.js';
import type { CheckContext, Outgoing } from './check-context.js';
import type { Exchange } from './conformance-check.js';
import { isRejected, wholeSeconds, windowSeconds } from './expectations.js';
import { type BudgetTrack, type Caller, isStateUnknown } from './key-pool.js';
import { spentBeforeFirstRequest } from './per-limit/spent-before.js';

/**
 * With several limits (or headers the one-limit view does not read), what the header module reads of a
 * fresh window's first response says about budgets spent before it: the wait until they are back.
 */
const spentOtherwiseMs = (ctx: CheckContext, first: Exchange): number | undefined =>
  ctx.limits && !ctx.policy.headers.remaining ? spentBeforeFirstRequest(ctx.limits, first, isRejected(ctx, first)) : undefined;

/** One budget spent from a fresh window until the first rejection (or limit + 3 requests without one). */
export interface ExhaustRun {
  /** The principal id or source address whose budget this is. */
  owner: string;
  callers: Caller[];
  budget: BudgetTrack;
  /** The budget's generation when the run ended: a later window bumps it. */
  generation: number;
  exchanges: Exchange[];
  /** 1-based number of the first rejected request, when one came. */
  rejectedAt?: number;
  rejection?: Exchange;
  /** True when the first request met a budget already spent elsewhere, so the suite waited for its reset. */
  restarted: boolean;

  /**
   * True when the first request found the budget spent although the suite itself had left it alone for a
   * full window: nobody else is to blame, the budget did not come back (a lock-out, or a window that restarts).
   */
  spentAtStart: boolean;
}

/**
 * A fresh window's first response that shows the budget was already spent (a rejection, or remaining <
 * limit − 1). For a budget of unknown state, what the header module reads of other limits counts too.
 */
export function looksSpent(ctx: CheckContext, first: Exchange, stateUnknown = false): boolean {
  if (isRejected(ctx, first)) return true;
  const name = ctx.policy.headers.remaining;
  const remaining = name ? wholeSeconds(first.response.headers[name]) : undefined;
  return (remaining !== undefined && remaining < ctx.policy.limit - 1) || (stateUnknown && spentOtherwiseMs(ctx, first) !== undefined);
}

/**
 * Waits out a budget someone else spent: the reset header's seconds when sane, else one window. Then
 * marks the budget's window as over, so the next request starts a new one in the suite's bookkeeping.
 */
export async function waitForReset(ctx: CheckContext, first: Exchange, budget: BudgetTrack): Promise<void> {
  const name = ctx.policy.headers.reset;
  const reset = name ? wholeSeconds(first.response.headers[name]) : undefined;
  const waitMs = Math.max(reset !== undefined && reset <= windowSeconds(ctx) ? reset * 1000 : ctx.policy.windowMs, spentOtherwiseMs(ctx, first) ?? 0);
  await ctx.clock.sleepUntil(
    Math.max(first.receivedAtMs + waitMs, (budget.lastSentMs ?? 0) + (reset === undefined ? ctx.policy.windowMs : 0)) + ctx.clock.marginMs,
  );
  ctx.pool.windowEnded(budget, ctx.clock.now());
}

/**
 * Sends `operation` round-robin over `callers` (all spending one budget) from a fresh window until the
 * first rejection, at most limit + 3 requests. Request 1 goes alone (it shows whether the budget was
 * spent already), the rest in one batch up to limit + 1 (pipelined against the mock), then one at a time.
 * When the budget's state was unknown to the suite (first use in this run) and it turns out to be spent
 * already (another run, or the user's own traffic, used it inside the window), waits for the reset and
 * starts once more. A budget the suite vouched for is never excused that way: `spentAtStart` reports it.
 */
export async function exhaust(ctx: CheckContext, owner: string, callers: Caller[], operation: Outgoing = ctx.plan.probe): Promise<ExhaustRun> {
  const { limit } = ctx.policy;
  const budget = (callers[0] as Caller).budget;
  const item = (i: number) => ({
    outgoing: operation,
    caller: callers[(i - 1) % callers.length] as Caller,
    step: `request ${i} in the window, limit ${limit}`,
  });
  for (let attempt = 0; ; attempt += 1) {
    const unknown = isStateUnknown(budget);
    const first = item(1);
    const exchanges: Exchange[] = [await ctx.send(first.outgoing, first.caller, first.step)];
    const spent = looksSpent(ctx, exchanges[0] as Exchange, unknown);
    if (!spent) {
      const batch = await ctx.sendBatch(Array.from({ length: limit }, (_, i) => item(i + 2)));
      const cut = batch.findIndex((e) => isRejected(ctx, e));
      exchanges.push(...(cut >= 0 ? batch.slice(0, cut + 1) : batch));
    }
    let rejectedAt: number | undefined = exchanges.findIndex((e) => isRejected(ctx, e)) + 1 || undefined;
    for (let i = exchanges.length + 1; rejectedAt === undefined && i <= limit + 3; i += 1) {
      const next = item(i);
      exchanges.push(await ctx.send(next.outgoing, next.caller, next.step));
      if (isRejected(ctx, exchanges[i - 1] as Exchange)) rejectedAt = i;
    }
    if (attempt === 0 && spent && unknown) {
      await waitForReset(ctx, exchanges[0] as Exchange, budget);
      continue;
    }
    const overLimit = exchanges[limit];
    if (attempt === 0 && !spent && rejectedAt === undefined && overLimit && !surelyInWindow(ctx, exchanges[0] as Exchange, overLimit)) {
      // The machine stalled past the window before request limit + 1: no verdict; once more when fresh.
      await ctx.clock.sleepUntil(budget.freshAtMs);
      continue;
    }
    const rejection = rejectedAt === undefined ? undefined : exchanges[rejectedAt - 1];
    return { owner, callers, budget, generation: budget.generation, exchanges, rejectedAt, rejection, restarted: attempt > 0, spentAtStart: spent && !unknown };
  }
}

/**
 * The callers that spend one budget: the first credential of a fresh principal (every credential when
 * `minCredentials` > 1), or an anonymous address when the policy keys by IP. With `anonymous`, also an
 * address when the credentials file names no principal at all: such requests fall back to the IP, so
 * the key-agnostic checks still run.
 */
export async function freshCallers(
  ctx: CheckContext,
  options: { avoid?: string[]; minCredentials?: number; anonymous?: boolean } = {},
): Promise<{ owner: string; callers: Caller[] } | undefined> {
  const byAddress = async () => {
    const caller = await ctx.pool.address({ avoid: options.avoid });
    return caller && { owner: caller.localAddress ?? 'this host', callers: [caller] };
  };
  if (ctx.policy.key.by === 'ip') return byAddress();
  const lease = await ctx.pool.principal(options);
  if (lease) return { owner: lease.id, callers: lease.callers.slice(0, (options.minCredentials ?? 1) > 1 ? undefined : 1) };
  return options.anonymous && ctx.pool.principalCount === 0 ? byAddress() : undefined;
}

/** Skips the check when the credentials file names too few principals for it. */
export function noPrincipal(ctx: CheckContext, need = 'principal'): never {
  const key = ctx.policy.key.by === 'ip' ? '' : ` (credentials with the ${ctx.policy.key.header} header the policy keys on)`;
  return ctx.skip(
    `the credentials file names no ${need}${key}; pass ${optionLabel('credentials', ctx.spelling).name} with your test keys (see "The credentials file" in docs/verify.md)`,
  );
}

/** Exhausts a fresh budget. */
export async function exhaustFresh(ctx: CheckContext, avoid: string[] = []): Promise<ExhaustRun> {
  const fresh = (await freshCallers(ctx, { avoid, anonymous: true })) ?? noPrincipal(ctx);
  return exhaust(ctx, fresh.owner, fresh.callers);
}

/**
 * True when `at` was answered before the window that `first` began could have ended: the server's window
 * began no earlier than `first` was sent. Against a loaded machine, a check whose verdict needs "still the
 * same window" checks this, and starts over on a fresh budget when it does not hold.
 */
export const surelyInWindow = (ctx: CheckContext, first: Exchange, at: Exchange): boolean => at.receivedAtMs < first.sentAtMs + ctx.policy.windowMs;

/** The run's window is surely still open: nothing started a new one, and the window cannot have ended yet. */
export function stillExhausted(ctx: CheckContext, run: ExhaustRun, slackMs = ctx.clock.kind === 'virtual' ? 0 : 250): boolean {
  const first = run.exchanges[0];
  return (
    run.rejection !== undefined &&
    first !== undefined &&
    run.budget.generation === run.generation &&
    ctx.clock.now() + slackMs < first.sentAtMs + ctx.policy.windowMs
  );
}

/** The run most checks read: one budget spent from a fresh window, shared by the whole run. */
export const primaryRun = (ctx: CheckContext): Promise<ExhaustRun> => ctx.shared('primary-exhaustion', () => exhaustFresh(ctx));

/** A budget that is exhausted right now: the primary run while its window lasts, else a fresh one. */
export async function exhaustedNow(ctx: CheckContext, avoid: string[] = []): Promise<ExhaustRun> {
  const primary = await primaryRun(ctx);
  if (stillExhausted(ctx, primary) && !avoid.includes(primary.owner)) return primary;
  return exhaustFresh(ctx, avoid);
}

/** The run's rejection, or a failure saying the budget could not be exhausted (so `purpose` cannot be checked). */
export function requireRejection(ctx: CheckContext, run: ExhaustRun, purpose: string): Exchange {
  if (run.rejection) return run.rejection;
  const last = run.exchanges[run.exchanges.length - 1] as Exchange;
  return ctx.fail({
    summary: `Failed to exhaust ${run.owner}'s budget to check ${purpose}: all ${run.exchanges.length} requests in one window were allowed, though the limit is ${ctx.policy.limit}.`,
    expected: `a ${ctx.policy.rejection.status} by request ${ctx.policy.limit + 1}`,
    actual: `${last.response.status} for every request`,
    exchange: last,
    explainedBy: ['counters', 'limit'],
  });
}
