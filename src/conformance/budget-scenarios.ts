import type { CheckContext, Outgoing } from './check-context.js';
import type { Exchange } from './conformance-check.js';
import { isRejected, wholeSeconds, windowSeconds } from './expectations.js';
import type { BudgetTrack, Caller } from './key-pool.js';

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
}

/** A fresh window's first response that shows the budget was already spent (a rejection, or remaining < limit − 1). */
function looksSpent(ctx: CheckContext, first: Exchange): boolean {
  if (isRejected(ctx, first)) return true;
  const name = ctx.policy.headers.remaining;
  const remaining = name ? wholeSeconds(first.response.headers[name]) : undefined;
  return remaining !== undefined && remaining < ctx.policy.limit - 1;
}

/**
 * Waits out a budget someone else spent: the reset header's seconds when sane, else one window. Then
 * marks the budget's window as over, so the next request starts a new one in the suite's bookkeeping.
 */
async function waitForReset(ctx: CheckContext, first: Exchange, budget: BudgetTrack): Promise<void> {
  const name = ctx.policy.headers.reset;
  const reset = name ? wholeSeconds(first.response.headers[name]) : undefined;
  const waitMs = reset !== undefined && reset <= windowSeconds(ctx) ? reset * 1000 : ctx.policy.windowMs;
  await ctx.clock.sleepUntil(first.receivedAtMs + waitMs + ctx.clock.marginMs);
  budget.freshAtMs = Math.min(budget.freshAtMs, ctx.clock.now());
}

/**
 * Sends `operation` round-robin over `callers` (all spending one budget) from a fresh window until the
 * first rejection, at most limit + 3 requests. Retries once after the reset when the budget turns out to
 * be spent already (another run, or the user's own traffic, used it inside the window).
 */
export async function exhaust(ctx: CheckContext, owner: string, callers: Caller[], operation: Outgoing = ctx.plan.probe): Promise<ExhaustRun> {
  const { limit } = ctx.policy;
  const budget = (callers[0] as Caller).budget;
  for (let attempt = 0; ; attempt += 1) {
    const exchanges: Exchange[] = [];
    let rejectedAt: number | undefined;
    for (let i = 1; i <= limit + 3; i += 1) {
      const caller = callers[(i - 1) % callers.length] as Caller;
      const exchange = await ctx.send(operation, caller, `request ${i} in the window, limit ${limit}`);
      exchanges.push(exchange);
      if (isRejected(ctx, exchange)) {
        rejectedAt = i;
        break;
      }
    }
    if (attempt === 0 && looksSpent(ctx, exchanges[0] as Exchange)) {
      await waitForReset(ctx, exchanges[0] as Exchange, budget);
      continue;
    }
    const rejection = rejectedAt === undefined ? undefined : exchanges[rejectedAt - 1];
    return { owner, callers, budget, generation: budget.generation, exchanges, rejectedAt, rejection, restarted: attempt > 0 };
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
  return ctx.skip(`the credentials file names no ${need}${key}; pass --credentials with your test keys (see "The credentials file" in docs/verify.md)`);
}

/** Exhausts a fresh budget. */
export async function exhaustFresh(ctx: CheckContext, avoid: string[] = []): Promise<ExhaustRun> {
  const fresh = (await freshCallers(ctx, { avoid, anonymous: true })) ?? noPrincipal(ctx);
  return exhaust(ctx, fresh.owner, fresh.callers);
}

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
  });
}
