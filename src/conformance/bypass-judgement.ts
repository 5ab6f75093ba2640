import type { CheckContext } from './check-context.js';
import type { Exchange } from './conformance-check.js';

/** A probe's answer, judged: did the limited operation answer it? `why` says what decided it, for messages. */
export interface BypassVerdict {
  served: boolean;
  why: string;
}

const mediaType = (e: Exchange) => (e.response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

function jsonShape(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return 'array';
    if (value !== null && typeof value === 'object') return `object{${Object.keys(value).sort().join(',')}}`;
    return typeof value;
  } catch {
    return undefined;
  }
}

/** Whether `answer` reads like `sample`: the same media type, and for JSON the same top-level shape (an array, or an object with the same keys). */
function sameKindOfAnswer(answer: Exchange, sample: Exchange): boolean {
  if (mediaType(answer) !== mediaType(sample)) return false;
  const shape = jsonShape(sample.response.text);
  return shape === undefined || shape === jsonShape(answer.response.text);
}

/**
 * A bypass probe got through only if **the limited operation's** response came back: a 2xx that validates
 * against the operation's declared response in the spec (content type and schema), and reads like the
 * route's own successful answers seen in this run. Another route's 2xx (an exempt docs page behind a
 * `/docs/*` wildcard, a static file), a 404 or a redirect served no limited data, so it is not a bypass.
 */
export function judgeBypassAnswer(ctx: CheckContext, answer: Exchange, samples: Exchange[], exemptAnswers: Exchange[]): BypassVerdict {
  const { status } = answer.response;
  if (status < 200 || status >= 300) return { served: false, why: `answered ${status}` };
  const twin = exemptAnswers.find((e) => e.response.status === status && mediaType(e) === mediaType(answer) && e.response.text === answer.response.text);
  if (twin) return { served: false, why: `the same answer as the exempt ${twin.request.method} ${twin.request.path}` };
  const { method, template } = ctx.plan.probe;
  const successes = samples.filter((e) => e.response.status >= 200 && e.response.status < 300);
  // The spec decides only where the route's own answers agree with it (a server may drift from its spec).
  const specHolds = successes.every((e) => (ctx.validateResponse(method, template, e.response)?.problems.length ?? 0) === 0);
  const validation = specHolds ? ctx.validateResponse(method, template, answer.response) : undefined;
  if (validation && validation.problems.length > 0) return { served: false, why: `not ${method} ${template}'s response (${validation.problems.join('; ')})` };
  if (successes.length > 0 && !successes.some((sample) => sameKindOfAnswer(answer, sample)))
    return { served: false, why: `unlike ${method} ${template}'s own answers in this run (${mediaType(successes[0] as Exchange) || 'no content type'})` };
  const basis = [validation ? `it validates against ${validation.declaredAt}` : '', successes.length > 0 ? `reads like the route's own answers` : '']
    .filter(Boolean)
    .join(' and ');
  return { served: true, why: basis || 'a 2xx that no exempt route gave' };
}
