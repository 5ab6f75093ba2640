import { formatDurationLong } from '../core/duration.js';
import type { CheckContext } from './check-context.js';
import type { CheckText, ConformanceCheck, Exchange } from './conformance-check.js';
import { headerWords, isRejected, rejection, statusLine, wholeSeconds } from './expectations.js';
import { intoWindow, type LateWindowRun, lateWindow, windowSurelyEndsAt } from './late-window.js';

const startEarly = (ctx: CheckContext) => void lateWindow(ctx, true);

/** The most whole seconds a correct server may report as left at `at`: the time left at the latest, rounded up. */
const mostSecondsLeft = (ctx: CheckContext, run: LateWindowRun, at: Exchange) => Math.max(0, Math.ceil((windowSurelyEndsAt(ctx, run) - at.sentAtMs) / 1000));

/**
 * Late in a window, the reset header and retry-after count the time left (rounded up), not the window:
 * every response of the late-window scenario, the late rejection above all, is held to it.
 */
export const timeLeftLateInWindow = (text: CheckText): ConformanceCheck => ({
  ...text,
  blockedBy: ['counters', 'lockout', 'limit'],
  prepare: startEarly,
  async run(ctx: CheckContext) {
    const { reset, retryAfter } = ctx.policy.headers;
    if (!reset && !retryAfter) ctx.skip('the policy declares neither a reset nor a retry-after header');
    const run = await lateWindow(ctx);
    if (run.spentAtStart) ctx.skip('the late-window budget was still spent when its window began (see the lock-out check)');
    const late = run.rejection;
    if (!late) {
      const last = run.late[run.late.length - 1] ?? run.first;
      ctx.fail({
        summary: `Failed to get a rejection late in ${run.owner}'s window: ${1 + run.spread.length + run.late.length} requests in one window were all allowed, though the limit is ${ctx.policy.limit}.`,
        expected: `a ${rejection(ctx)} by request ${ctx.policy.limit + 1}`,
        actual: `${statusLine(last.response.status)} for every request`,
        exchange: last,
      });
    }
    const window = formatDurationLong(ctx.policy.windowMs);
    const judged: Array<[Exchange, string]> = [];
    if (retryAfter) judged.push([late, retryAfter]);
    if (reset) for (const e of [run.first, ...run.spread, ...run.late]) judged.push([e, reset]);
    for (const [exchange, name] of judged) {
      const value = wholeSeconds(exchange.response.headers[name]);
      const most = mostSecondsLeft(ctx, run, exchange);
      if (value === undefined || value <= most) continue;
      const what = isRejected(ctx, exchange)
        ? `The ${exchange.response.status} sent ${intoWindow(run, exchange.sentAtMs)} into the window`
        : `The response sent ${intoWindow(run, exchange.sentAtMs)} into the window`;
      const windowLike =
        Math.abs(value * 1000 - ctx.policy.windowMs) < 1000
          ? ` It reads like the whole window (${window}), computed from the configured window rather than from the reset.`
          : '';
      const retry = name === retryAfter ? ' A client that obeys it waits longer than it needs to.' : '';
      ctx.fail({
        summary: `${what} carries ${name}: ${value}, but at most ${((windowSurelyEndsAt(ctx, run) - exchange.sentAtMs) / 1000).toFixed(2)} s of the ${window} window were left (it began with request 1): it must be the seconds until the window resets, rounded up (at most ${most}).${windowLike}${retry}`,
        expected: `${name}: at most ${most} (the time left, rounded up)`,
        actual: headerWords(exchange, name),
        exchange,
      });
    }
  },
});

/** What the rejection after the window suggests the server does instead of resetting at first request + window. */
function lockoutDiagnosis(ctx: CheckContext, run: LateWindowRun, refused: Exchange): string {
  const name = ctx.policy.headers.retryAfter;
  const wait = name ? wholeSeconds(refused.response.headers[name]) : undefined;
  const windowMs = ctx.policy.windowMs;
  const until = wait === undefined ? undefined : refused.receivedAtMs + wait * 1000;
  const lastAllowed = [run.first, ...run.spread, ...run.late].filter((e) => !isRejected(ctx, e)).pop() ?? run.first;
  const blockedFromRejection = run.rejection && until !== undefined && Math.abs(until - (run.rejection.sentAtMs + windowMs)) < 1000;
  const restartsWithRequests = until !== undefined && Math.abs(until - (lastAllowed.sentAtMs + windowMs)) < 1000;
  const said = wait === undefined ? '' : ` (its ${name}: ${wait} points to ${intoWindow(run, until as number)})`;
  if (blockedFromRejection)
    return `${said}: the server blocks the budget for a full window from the first ${rejection(ctx)} (a lock-out penalty such as blockDuration, or a window restarted by rejected requests)`;
  if (restartsWithRequests)
    return `${said}: the window restarts with each request instead of ending one window after the first (the expiry is refreshed on every hit)`;
  return `${said}: a lock-out penalty after the ${rejection(ctx)}, or a window that restarts with later requests`;
}

/** A budget spent late in its window is back one window after its first request: no lock-out penalty. */
export const noLockoutPastWindow = (text: CheckText): ConformanceCheck => ({
  ...text,
  blockedBy: ['counters', 'limit'],
  prepare: startEarly,
  async run(ctx: CheckContext) {
    const run = await lateWindow(ctx);
    const window = formatDurationLong(ctx.policy.windowMs);
    if (run.spentAtStart) {
      ctx.fail({
        summary: `${run.owner}'s budget was still spent when the suite came back to it more than a window (${window}) after its last request: the budget does not come back when the window ends (a lock-out penalty, or a window that restarts with every request).`,
        expected: 'a fresh budget',
        actual: statusLine(run.first.response.status),
        exchange: run.first,
        finding: 'lockout',
      });
    }
    const after = run.afterWindow as Exchange;
    if (!isRejected(ctx, after)) return;
    const spread =
      run.spread.length > 0 ? `, requests 2–${1 + run.spread.length} spread until ${intoWindow(run, run.spread[run.spread.length - 1]?.sentAtMs ?? 0)}` : '';
    const at = run.rejection ? ` and a ${rejection(ctx)} at ${intoWindow(run, run.rejection.sentAtMs)}` : '';
    ctx.fail({
      summary: `${run.owner} spent its budget over one window (request 1 at 0.00 s${spread}${at}); a request sent ${intoWindow(run, after.sentAtMs)} after request 1, once the ${window} window had ended, was refused${lockoutDiagnosis(ctx, run, after)}. The budget must be back one window after the window's first request: the server refuses requests the documented rate allows.`,
      expected: `allowed (the window began with request 1 and lasts ${window})`,
      actual: statusLine(after.response.status),
      exchange: after,
      finding: 'lockout',
    });
  },
});
