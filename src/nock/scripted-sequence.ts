import { compilePathPattern, type PathMatcher } from '../core/path-pattern.js';

/** One scripted answer, used `times` times before the next step of its script. */
export type ScriptStep =
  | { kind: 'rate-limited'; times: number; retryAfterSeconds?: number }
  | { kind: 'server-error'; times: number; status: number; body?: unknown }
  | { kind: 'pass'; times: number; latencyMs: number }
  | { kind: 'reply'; times: number; status: number; body?: unknown; headers?: Record<string, string> };

/** The profile's 429 (its headers and body) without spending budget. `retryAfterSeconds` defaults to the window's reset. */
export const rateLimited = (times = 1, options: { retryAfterSeconds?: number } = {}): ScriptStep => ({ kind: 'rate-limited', times, ...options });
/**
 * A server error (500 by default), after the request spends its budget as a real server would. The body
 * is the spec's example for that status, else `body`, else a Fastify-style error.
 */
export const serverError = (times = 1, status = 500, body?: unknown): ScriptStep => ({ kind: 'server-error', times, status, body });
/** The profile's own answer (budget, 429 when spent, the rendered example otherwise). */
export const passThrough = (times = 1): ScriptStep => ({ kind: 'pass', times, latencyMs: 0 });
/** The profile's own answer after `latencyMs` of (fake-timer) latency. */
export const delayed = (latencyMs: number, times = 1): ScriptStep => ({ kind: 'pass', times, latencyMs });
/** Any answer; a JSON-able body is serialized. */
export const replyWith = (status: number, body?: unknown, headers?: Record<string, string>, times = 1): ScriptStep => ({
  kind: 'reply',
  times,
  status,
  body,
  headers,
});

/** Names a step for logs and pending lists: `429 ×3`, `500 ×1`, `pass +2000ms ×1`. */
export function describeStep(step: ScriptStep, times = step.times): string {
  const what =
    step.kind === 'rate-limited'
      ? '429'
      : step.kind === 'server-error' || step.kind === 'reply'
        ? String(step.status)
        : step.latencyMs > 0
          ? `pass +${step.latencyMs}ms`
          : 'pass';
  return `${what} ×${times}`;
}

/** What the attempt log notes for a request a step answered: `429`, `500`, `+2000ms`; nothing for a plain pass. */
export function scriptLabel(step: ScriptStep | undefined): string | undefined {
  if (!step) return undefined;
  if (step.kind === 'pass') return step.latencyMs > 0 ? `+${step.latencyMs}ms` : undefined;
  return step.kind === 'rate-limited' ? '429' : String(step.status);
}

/** Which requests a script answers: `GET /v1/x`, `/v1/api/**` (any method) or `*` (everything). */
export type ScriptMatch = string | { method?: string; path?: string };

interface Script {
  method: string | undefined;
  path: string;
  matches: PathMatcher;
  steps: Array<{ step: ScriptStep; left: number }>;
}

function parseMatch(match: ScriptMatch): { method: string | undefined; path: string } {
  if (typeof match !== 'string') return { method: match.method?.toUpperCase(), path: match.path ?? '/**' };
  const [first, second] = match.trim().split(/\s+/, 2);
  if (second !== undefined) return { method: first?.toUpperCase(), path: second };
  return { method: undefined, path: first === '*' || first === undefined ? '/**' : first };
}

/** The scripts of one mocked API: consumed in order, like nock's interceptor queue. */
export function createScriptQueue() {
  let scripts: Script[] = [];
  return {
    add(match: ScriptMatch, steps: readonly ScriptStep[]): void {
      const { method, path } = parseMatch(match);
      if (!path.startsWith('/')) {
        throw new TypeError(
          `Failed to script "${typeof match === 'string' ? match : path}": the path must start with "/". Write e.g. "GET /v1/payment-intents" or "/v1/api/**".`,
        );
      }
      const matcher = path === '/**' ? () => true : compilePathPattern(path);
      scripts.push({ method, path, matches: matcher, steps: steps.filter((s) => s.times > 0).map((step) => ({ step, left: step.times })) });
    },
    /** Takes one use of the next step of the first script that matches the request, if any. */
    take(method: string, path: string): ScriptStep | undefined {
      const script = scripts.find((s) => s.steps.length > 0 && (!s.method || s.method === method) && s.matches(path));
      const head = script?.steps[0];
      if (!script || !head) return undefined;
      head.left -= 1;
      if (head.left <= 0) script.steps.shift();
      scripts = scripts.filter((s) => s.steps.length > 0);
      return head.step;
    },
    /** Steps not used yet, one line per script: `GET http://api.test/v1/x: 429 ×2, then pass ×1`. */
    pending(baseUrl: string): string[] {
      return scripts.map((s) => `${s.method ?? '*'} ${baseUrl}${s.path}: ${s.steps.map(({ step, left }) => describeStep(step, left)).join(', then ')}`);
    },
    clear(): void {
      scripts = [];
    },
  };
}

/** The queue `createScriptQueue` returns. */
export type ScriptQueue = ReturnType<typeof createScriptQueue>;
