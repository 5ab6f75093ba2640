/**
 * One scripted answer, used `times` times before the next step of its script. The one vocabulary of
 * scripted behaviour: the nock and MSW helpers take these steps, and the mock's control API takes them as
 * JSON (`POST /__ratelimit/faults`, see `stepFromJson`).
 */
export type ScriptStep =
  | { kind: 'rate-limited'; times: number; retryAfterSeconds?: number }
  | { kind: 'server-error'; times: number; status: number; body?: unknown }
  | { kind: 'pass'; times: number; latencyMs: number }
  | { kind: 'reply'; times: number; status: number; body?: unknown; headers?: Record<string, string> };

/**
 * The profile's 429 (its body; on a limited path its headers too, showing the budget as spent) without
 * spending budget. `retryAfterSeconds` defaults to the window's reset. Exempt paths never carry rate-limit headers.
 */
export const rateLimited = (times = 1, options: { retryAfterSeconds?: number } = {}): ScriptStep => ({ kind: 'rate-limited', times, ...options });
/**
 * A server error (500 by default), after the request spends its budget as a real server would. The body
 * is the spec's example for that status, else `body`, else a Fastify-style error.
 */
export const serverError = (times = 1, status = 500, body?: unknown): ScriptStep => ({ kind: 'server-error', times, status, body });
/** The profile's own answer (budget, 429 when spent, the rendered example otherwise). */
export const passThrough = (times = 1): ScriptStep => ({ kind: 'pass', times, latencyMs: 0 });
/** The profile's own answer after `latencyMs` of latency (fake-timer time in the nock and MSW helpers). */
export const delayed = (latencyMs: number, times = 1): ScriptStep => ({ kind: 'pass', times, latencyMs });
/** Any answer; a JSON-able body is serialized. Spends budget as a real server would. */
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

const KINDS = ['rate-limited', 'server-error', 'pass', 'reply'];
/** The control API's first words for three kinds, still accepted. */
const ALIASES: Record<string, string> = { 'status-429': 'rate-limited', 'status-500': 'server-error', latency: 'pass' };
const MAX_LATENCY_MS = 60_000;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const isHeaderObject = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.entries(value).every(([name, text]) => TOKEN.test(name) && typeof text === 'string' && !/[\r\n\0]/.test(text));

const wholeNumber = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/**
 * Reads a step from JSON: `{"kind":"rate-limited","times":2,"retryAfterSeconds":5}`, `{"kind":"server-error",
 * "status":503}`, `{"kind":"pass","latencyMs":500}`, `{"kind":"reply","status":418,"body":{…},"headers":{…}}`.
 * `count` is read as `times`; `status-429`, `status-500` and `latency` as their kinds. Returns a reason when it
 * cannot.
 */
export function stepFromJson(input: Record<string, unknown>): ScriptStep | string {
  const kind = typeof input.kind === 'string' ? (ALIASES[input.kind] ?? input.kind) : undefined;
  const times = input.times ?? input.count ?? 1;
  if (kind === undefined || !KINDS.includes(kind)) return `"kind" must be one of ${KINDS.join(', ')}`;
  if (!wholeNumber(times, 1, Number.MAX_SAFE_INTEGER)) return '"times" must be a whole number ≥ 1';
  if (kind === 'rate-limited') {
    const after = input.retryAfterSeconds;
    if (after !== undefined && !wholeNumber(after, 0, 31_536_000)) return '"retryAfterSeconds" must be a whole number of seconds';
    return rateLimited(times, after === undefined ? {} : { retryAfterSeconds: after as number });
  }
  if (kind === 'pass') {
    const latencyMs = input.latencyMs ?? 0;
    if (!wholeNumber(latencyMs, 0, MAX_LATENCY_MS)) return `"latencyMs" must be a whole number from 0 to ${MAX_LATENCY_MS}`;
    return delayed(latencyMs, times);
  }
  const status = input.status ?? (kind === 'server-error' ? 500 : undefined);
  if (!wholeNumber(status, kind === 'server-error' ? 500 : 200, 599))
    return `"status" must be a status code (${kind === 'server-error' ? '500–599' : '200–599'})`;
  if (kind === 'server-error') return serverError(times, status, input.body);
  const headers = input.headers;
  if (headers !== undefined && !isHeaderObject(headers)) return '"headers" must be an object of header names to string values (no CR or LF)';
  return replyWith(status, input.body, headers, times);
}
