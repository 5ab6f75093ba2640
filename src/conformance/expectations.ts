import { STATUS_CODES } from 'node:http';
import { formatDurationLong } from '../core/duration.js';
import type { CheckContext } from './check-context.js';
import type { Exchange } from './conformance-check.js';

/** True when the response is the policy's rejection (429 for both embedded APIs). */
export const isRejected = (ctx: CheckContext, exchange: Exchange): boolean => exchange.response.status === ctx.policy.rejection.status;

/** `429 Too Many Requests`. */
export const statusLine = (status: number): string => `${status} ${STATUS_CODES[status] ?? ''}`.trim();

/** The rejection as words, e.g. `429 Too Many Requests`. */
export const rejection = (ctx: CheckContext): string => statusLine(ctx.policy.rejection.status);

/** The window in whole seconds, rounded up (a 1500 ms window resets within 2 s). */
export const windowSeconds = (ctx: CheckContext): number => Math.ceil(ctx.policy.windowMs / 1000);

/** `5 requests per 2 seconds`. */
export const limitWords = (ctx: CheckContext): string =>
  `${ctx.policy.limit} request${ctx.policy.limit === 1 ? '' : 's'} per ${formatDurationLong(ctx.policy.windowMs)}`;

/** A header's value as a whole number of seconds (RFC 9110 delay-seconds: digits only), else undefined. */
export function wholeSeconds(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,15}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/** How a header value reads, for messages: `x-ratelimit-reset: 1732271234` or `no x-ratelimit-reset header`. */
export const headerWords = (exchange: Exchange, name: string): string => {
  const value = exchange.response.headers[name];
  return value === undefined ? `no ${name} header` : `${name}: ${value}`;
};

/** Guesses what a wrong seconds value is, so the message can say "looks like an epoch timestamp". */
export function secondsDiagnosis(value: number, windowMs: number, nowMs: number): string {
  if (value > 1_000_000_000) {
    if (Math.abs(value - nowMs) < 86_400_000 * 2) return 'looks like an epoch timestamp in milliseconds, not seconds until the reset';
    return `looks like an epoch timestamp${Math.abs(value - nowMs / 1000) < 86_400 * 2 ? ' in seconds' : ''}, not seconds until the reset`;
  }
  if (value >= windowMs / 10 && value <= windowMs + 1000) return 'looks like milliseconds, not seconds';
  return 'is outside the window';
}

/**
 * The whole seconds a correct server may report as "time left" for a response, bracketed from the times
 * the window's first request was sent and answered (the server started the window in between).
 */
export function secondsLeftRange(ctx: CheckContext, first: Exchange, at: Exchange): { min: number; max: number } {
  const lowMs = first.sentAtMs + ctx.policy.windowMs - at.receivedAtMs;
  const highMs = first.receivedAtMs + ctx.policy.windowMs - at.sentAtMs;
  return { min: Math.max(0, Math.floor(lowMs / 1000)), max: Math.max(0, Math.ceil(highMs / 1000)) };
}

/**
 * The most whole seconds a correct server may report as time left at `at`: the window, or one second
 * more while the exchanges' own round trips leave room for it. A server may read one clock in its limiter
 * and another for the header: koa-ratelimit keeps a microsecond clock of its own (Date.now() at start plus
 * hrtime), which runs a fraction of a millisecond ahead of Date.now() after a while, and the ceil of
 * 2000.5 ms is 3 s. The budget is still back after the window, so this is no defect a check may fail.
 */
export function mostSecondsLeft(ctx: CheckContext, first: Exchange, at: Exchange): number {
  const max = windowSeconds(ctx);
  return Math.max(max, Math.min(secondsLeftRange(ctx, first, at).max, max + 1));
}

/**
 * Fails the check unless the exchange shows a whole, fresh budget: allowed, and (when the policy sends
 * a remaining header) `limit - 1` left; `failures` words the two ways it can fail.
 */
export function expectFreshBudget(
  ctx: CheckContext,
  exchange: Exchange,
  failures: { rejected: string; partial: (header: string, value: string) => string },
): void {
  if (isRejected(ctx, exchange)) {
    ctx.fail({ summary: failures.rejected, expected: 'the request allowed, with a budget of its own', actual: statusLine(exchange.response.status), exchange });
  }
  const name = ctx.policy.headers.remaining;
  const remaining = name ? exchange.response.headers[name] : undefined;
  if (name && remaining !== undefined && wholeSeconds(remaining) !== ctx.policy.limit - 1) {
    ctx.fail({
      summary: failures.partial(name, remaining),
      expected: `${name}: ${ctx.policy.limit - 1} (a fresh budget)`,
      actual: `${name}: ${remaining}`,
      exchange,
    });
  }
}
