import { formatDurationLong } from '../core/duration.js';
import { type ExhaustRun, primaryRun, requireRejection } from './budget-scenarios.js';
import type { CheckContext } from './check-context.js';
import type { CheckText, ConformanceCheck, Exchange } from './conformance-check.js';
import { secondsLeftRange, wholeSeconds } from './expectations.js';
import { compareToTemplate, type TemplateMode, type TemplateValues, templateHasPlaceholders, templatePattern } from './rejection-template.js';

/**
 * What each placeholder may read on this rejection: `{after}` is the window or the time left (the
 * retry-after seconds ± 1, or the seconds bracketed from the window's start), worded as
 * @fastify/rate-limit words durations.
 */
function placeholderValues(ctx: CheckContext, run: ExhaustRun, exchange: Exchange): TemplateValues {
  const range = secondsLeftRange(ctx, run.exchanges[0] as Exchange, exchange);
  const seconds = new Set<number>();
  for (let s = Math.max(0, range.min - 1); s <= range.max; s += 1) seconds.add(s);
  const header = ctx.policy.headers.retryAfter;
  const retryAfter = header ? wholeSeconds(exchange.response.headers[header]) : undefined;
  if (retryAfter !== undefined && retryAfter * 1000 <= ctx.policy.windowMs + 1000)
    for (const s of [retryAfter - 1, retryAfter, retryAfter + 1]) if (s >= 0) seconds.add(s);
  const window = formatDurationLong(ctx.policy.windowMs);
  const after = [...new Set([...[...seconds].sort((a, b) => b - a).map((s) => formatDurationLong(s * 1000)), window])];
  return { after, window: [window], limit: [String(ctx.policy.limit)], retryAfterSeconds: [...seconds].map(String), name: [ctx.policy.name] };
}

async function rejectionOf(ctx: CheckContext, purpose: string): Promise<{ run: ExhaustRun; exchange: Exchange }> {
  const run = await primaryRun(ctx);
  return { run, exchange: requireRejection(ctx, run, purpose) };
}

/** Compares the rejection body with the policy's documented body, by shape or by the wording of its placeholders. */
export const rejectionBodyMatches = (text: CheckText, mode: TemplateMode): ConformanceCheck => ({
  ...text,
  async run(ctx: CheckContext) {
    const template = ctx.policy.rejection.body;
    if (mode === 'placeholders' && !templateHasPlaceholders(template)) ctx.skip('the documented body has no variable parts to word');
    const { run, exchange } = await rejectionOf(ctx, 'the rejection body');
    const values = placeholderValues(ctx, run, exchange);
    const documented = typeof template === 'string' ? template : JSON.stringify(template);
    let problems: string[];
    if (typeof template === 'string') {
      problems = templatePattern(template, values).test(exchange.response.text)
        ? []
        : [`expected ${JSON.stringify(template)}, got ${JSON.stringify(exchange.response.text)}`];
    } else {
      let body: unknown;
      try {
        body = JSON.parse(exchange.response.text);
      } catch {
        ctx.fail({
          summary: `The ${exchange.response.status} body is not JSON, so it cannot have the documented shape.`,
          expected: documented,
          actual: JSON.stringify(exchange.response.text.slice(0, 200)),
          exchange,
        });
      }
      problems = compareToTemplate(template, body, values, mode);
    }
    if (problems.length > 0) {
      const what = mode === 'shape' ? 'does not have the documented shape' : 'is not worded as documented';
      ctx.fail({
        summary: `The ${exchange.response.status} body ${what}: ${problems.join('; ')}.`,
        expected: documented,
        actual: exchange.response.text.slice(0, 300),
        exchange,
      });
    }
  },
});

/** The rejection's content type is the documented one (JSON), and a JSON body parses. */
export const rejectionContentType = (text: CheckText): ConformanceCheck => ({
  ...text,
  async run(ctx: CheckContext) {
    const { exchange } = await rejectionOf(ctx, 'the rejection content type');
    const expectedType = ctx.policy.rejection.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    const actual = exchange.response.headers['content-type'];
    const actualType = actual?.split(';')[0]?.trim().toLowerCase();
    if (actualType !== expectedType) {
      ctx.fail({
        summary: `The ${exchange.response.status} is sent as ${actual ?? 'no content type'}, not ${expectedType}: clients that parse by content type will not read the envelope.`,
        expected: `content-type: ${ctx.policy.rejection.contentType}`,
        actual: actual === undefined ? 'no content-type header' : `content-type: ${actual}`,
        exchange,
      });
    }
    if (/json/.test(expectedType)) {
      try {
        JSON.parse(exchange.response.text);
      } catch {
        ctx.fail({
          summary: `The ${exchange.response.status} says ${actual} but its body is not JSON.`,
          expected: 'a JSON body',
          actual: JSON.stringify(exchange.response.text.slice(0, 200)),
          exchange,
        });
      }
    }
  },
});

/** The rejection validates against the response the spec declares for it: status, content type, headers and body. */
export const rejectionMatchesSpec = (text: CheckText): ConformanceCheck => ({
  ...text,
  async run(ctx: CheckContext) {
    const { exchange } = await rejectionOf(ctx, 'the rejection against the spec');
    const { method, template } = ctx.plan.probe;
    const result = ctx.validateResponse(method, template, exchange.response);
    if (!result)
      ctx.skip(
        `the spec declares no ${exchange.response.status} response (nor ${String(exchange.response.status)[0]}XX or default) for ${method} ${template}; declare it so the rejection can be validated`,
      );
    if (result.problems.length > 0) {
      ctx.fail({
        summary: `The ${exchange.response.status} does not validate against the spec's response (${result.declaredAt}): ${result.problems.join('; ')}.`,
        expected: `a response valid against ${result.declaredAt}`,
        actual: result.problems.join('; '),
        exchange,
      });
    }
  },
});
