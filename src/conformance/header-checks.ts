import { formatDurationLong } from '../core/duration.js';
import { optionLabel } from '../core/option-names.js';
import { primaryRun, requireRejection } from './budget-scenarios.js';
import type { CheckContext } from './check-context.js';
import type { CheckText, ConformanceCheck, Exchange } from './conformance-check.js';
import { headerWords, isRejected, mostSecondsLeft, secondsDiagnosis, secondsLeftRange, wholeSeconds, windowSeconds } from './expectations.js';

/** The responses of the primary run up to its first rejection, each with its 1-based number. */
async function limitedResponses(ctx: CheckContext): Promise<{ first: Exchange; numbered: Array<[number, Exchange]> }> {
  const run = await primaryRun(ctx);
  return { first: run.exchanges[0] as Exchange, numbered: run.exchanges.map((e, i) => [i + 1, e] as [number, Exchange]) };
}

function headerName(ctx: CheckContext, which: 'limit' | 'remaining' | 'reset' | 'retryAfter'): string {
  const name = ctx.policy.headers[which];
  return name ?? ctx.skip(`the policy declares no ${which} header`);
}

/** The limit header equals the configured maximum on every limited response, the rejection included. */
export const limitHeaderEqualsMax = (text: CheckText): ConformanceCheck => ({
  ...text,
  async run(ctx: CheckContext) {
    const name = headerName(ctx, 'limit');
    const limitOption = optionLabel('limit', ctx.spelling).name;
    const source =
      ctx.declared.limit !== undefined ? ` (as declared with ${limitOption})` : ` (the spec’s limit; pass ${limitOption} if the server runs with another)`;
    for (const [n, exchange] of (await limitedResponses(ctx)).numbered) {
      if (exchange.response.headers[name] !== String(ctx.policy.limit)) {
        ctx.fail({
          summary: `Response ${n} in the window carries ${headerWords(exchange, name)}; it must be the configured maximum, ${ctx.policy.limit}${source}.`,
          expected: `${name}: ${ctx.policy.limit}`,
          actual: headerWords(exchange, name),
          exchange,
        });
      }
    }
  },
});

/** Remaining goes down by exactly one per request from limit − 1, and is 0 on the rejection. */
export const remainingCountsDown = (text: CheckText): ConformanceCheck => ({
  ...text,
  blockedBy: ['counters'],
  async run(ctx: CheckContext) {
    const name = headerName(ctx, 'remaining');
    const { limit } = ctx.policy;
    const { numbered } = await limitedResponses(ctx);
    for (const [n, exchange] of numbered) {
      const rejected = isRejected(ctx, exchange);
      if (!rejected && n > limit) continue;
      const expected = rejected ? 0 : limit - n;
      const value = wholeSeconds(exchange.response.headers[name]);
      if (value === expected) continue;
      const why = rejected
        ? `The ${exchange.response.status} carries ${headerWords(exchange, name)}; it must be 0 once the budget is spent.`
        : `After ${n} request(s) in the window, ${headerWords(exchange, name)}; it must go down by exactly one per request (${limit} − ${n} = ${expected}).`;
      ctx.fail({ summary: why, expected: `${name}: ${expected}`, actual: headerWords(exchange, name), exchange });
    }
  },
});

/** Reset is a whole number of seconds until the window ends: within [0, window], never an epoch or milliseconds. */
export const resetIsSecondsInWindow = (text: CheckText): ConformanceCheck => ({
  ...text,
  async run(ctx: CheckContext) {
    const name = headerName(ctx, 'reset');
    const max = windowSeconds(ctx);
    const { first, numbered } = await limitedResponses(ctx);
    for (const [n, exchange] of numbered) {
      const raw = exchange.response.headers[name];
      const value = wholeSeconds(raw);
      const range = secondsLeftRange(ctx, first, exchange);
      const most = mostSecondsLeft(ctx, first, exchange);
      const expected = `${name}: a whole number of seconds in [0, ${max}] (the window is ${formatDurationLong(ctx.policy.windowMs)}), here about ${Math.min(range.max, max)}`;
      if (value === undefined) {
        ctx.fail({
          summary: `Response ${n} in the window carries ${headerWords(exchange, name)}, which is not a whole number of seconds.`,
          expected,
          actual: headerWords(exchange, name),
          exchange,
        });
      }
      if (value > most) {
        ctx.fail({
          summary: `Response ${n} in the window carries ${name}: ${raw}, which ${secondsDiagnosis(value, ctx.policy.windowMs, Date.now())}: it must be the seconds until the window resets.`,
          expected,
          actual: headerWords(exchange, name),
          exchange,
        });
      }
      if (value < range.min - 1) {
        ctx.fail({
          summary: `Response ${n} in the window carries ${name}: ${raw}, but about ${range.min} seconds were left in the window that began with the first request.`,
          expected,
          actual: headerWords(exchange, name),
          exchange,
        });
      }
    }
  },
});

/** The rejection carries retry-after in whole seconds, within the window and consistent with the reset header. */
export const retryAfterOnRejection = (text: CheckText): ConformanceCheck => ({
  ...text,
  async run(ctx: CheckContext) {
    const name = headerName(ctx, 'retryAfter');
    const run = await primaryRun(ctx);
    const exchange = requireRejection(ctx, run, `${name} on the rejection`);
    const max = windowSeconds(ctx);
    const range = secondsLeftRange(ctx, run.exchanges[0] as Exchange, exchange);
    const most = mostSecondsLeft(ctx, run.exchanges[0] as Exchange, exchange);
    const expected = `${name}: whole seconds until the window resets, in [0, ${max}], here about ${Math.min(range.max, max)}`;
    const raw = exchange.response.headers[name];
    const value = wholeSeconds(raw);
    if (raw === undefined)
      ctx.fail({
        summary: `The ${exchange.response.status} has no ${name} header, so clients cannot tell how long to wait.`,
        expected,
        actual: `no ${name} header`,
        exchange,
      });
    if (value === undefined)
      ctx.fail({
        summary: `The ${exchange.response.status} carries ${name}: ${raw}, which is not a whole number of seconds.`,
        expected,
        actual: headerWords(exchange, name),
        exchange,
      });
    if (value > most)
      ctx.fail({
        summary: `The ${exchange.response.status} carries ${name}: ${raw}, which ${secondsDiagnosis(value, ctx.policy.windowMs, Date.now())}.`,
        expected,
        actual: headerWords(exchange, name),
        exchange,
      });
    if (value < range.min - 1)
      ctx.fail({
        summary: `The ${exchange.response.status} carries ${name}: ${raw}, but about ${range.min} seconds were left in the window: a client that obeys it retries too early.`,
        expected,
        actual: headerWords(exchange, name),
        exchange,
      });
    const resetName = ctx.policy.headers.reset;
    const reset = resetName ? wholeSeconds(exchange.response.headers[resetName]) : undefined;
    if (resetName && reset !== undefined && reset <= max && Math.abs(reset - value) > 1) {
      ctx.fail({
        summary: `The ${exchange.response.status} carries ${name}: ${value} but ${resetName}: ${reset}; both name the moment the window resets, so they must agree (within a second).`,
        expected: `${name} within 1 of ${resetName} (${reset})`,
        actual: headerWords(exchange, name),
        exchange,
      });
    }
  },
});

/** What the user declared the deployment runs with (RATE_LIMIT_MAX / RATE_LIMIT_WINDOW) is what the server applies. */
export const declaredOverridesReflected = (text: CheckText, vars: { limit?: string; window?: string }): ConformanceCheck => ({
  ...text,
  async run(ctx: CheckContext) {
    const { limit, windowMs } = ctx.declared;
    if (limit === undefined && windowMs === undefined) {
      ctx.skip(
        `no ${[vars.limit, vars.window].filter(Boolean).join('/') || 'limit/window'} values were declared: pass ${optionLabel('limit', ctx.spelling).name} and ${optionLabel('window', ctx.spelling).name} with the values the server runs with`,
      );
    }
    const run = await primaryRun(ctx);
    const first = run.exchanges[0] as Exchange;
    const limitName = ctx.policy.headers.limit;
    if (limit !== undefined && limitName && first.response.headers[limitName] !== String(limit)) {
      ctx.fail({
        summary: `The server runs with ${headerWords(first, limitName)}, not the declared ${vars.limit ?? 'limit'}=${limit}.`,
        expected: `${limitName}: ${limit}`,
        actual: headerWords(first, limitName),
        exchange: first,
        finding: 'limit',
      });
    }
    if (limit !== undefined && run.rejectedAt !== undefined && run.rejectedAt !== limit + 1) {
      ctx.fail({
        summary: `The first rejection came at request ${run.rejectedAt}, not after the declared ${vars.limit ?? 'limit'}=${limit}.`,
        expected: `request ${limit + 1} rejected`,
        actual: `request ${run.rejectedAt} rejected`,
        exchange: run.rejection,
        explainedBy: ['counters', 'limit'],
      });
    }
    const resetName = ctx.policy.headers.reset;
    const reset = resetName ? wholeSeconds(first.response.headers[resetName]) : undefined;
    const seconds = windowSeconds(ctx);
    if (windowMs !== undefined && resetName && (reset === undefined || reset > mostSecondsLeft(ctx, first, first) || reset < seconds - 1)) {
      ctx.fail({
        summary: `A fresh window's first response carries ${headerWords(first, resetName)}; with the declared ${vars.window ?? 'window'}=${formatDurationLong(windowMs)} it would be ${seconds}.`,
        expected: `${resetName}: ${seconds}`,
        actual: headerWords(first, resetName),
        exchange: first,
      });
    }
  },
});
