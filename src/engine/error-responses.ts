import { type PreparedOperation, type PreparedResponse, textResponse } from './prepared-responses.js';

/** Reason phrases of the statuses the engine answers with itself (no node:http here: this also runs in a browser). */
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The reason phrase of a status, e.g. `Service Unavailable`. */
export const reasonPhrase = (status: number): string => REASONS[status] ?? (status >= 500 ? 'Server Error' : 'Error');

/**
 * The header that says why the engine answered an error itself (`Route GET:/x not found`, the request's
 * violations), since a body taken from the spec is its example and cannot say so. Prism's `sl-violations`
 * plays the same part.
 */
export const REASON_HEADER = 'x-mock-reason';

/** A reason as a header value: printable ASCII only (others as \uXXXX), at most 2,000 characters. */
function headerSafe(reason: string): string {
  const safe = reason.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return safe.length > 2_000 ? `${safe.slice(0, 1_997)}...` : safe;
}

/**
 * An error in the built-in Fastify shape that ReconLayer uses, for when the spec declares none. It never
 * carries a stack trace or internal detail.
 */
export function errorResponse(status: number, message: string, extra: Record<string, unknown> = {}): PreparedResponse {
  return textResponse(status, JSON.stringify({ statusCode: status, error: reasonPhrase(status), message, ...extra }), 'application/json; charset=utf-8');
}

const withStatus = (response: PreparedResponse, status: number): PreparedResponse => (response.status === status ? response : { ...response, status });

/**
 * The response an operation declares for `status`, sent with that status: the one declared for the
 * status itself, else for its range (`4XX`), else `default` (Prism's order). Undefined when it declares none.
 */
export function declaredResponse(op: PreparedOperation, status: number): PreparedResponse | undefined {
  const declared = op.byStatus.get(status) ?? op.byRange.get(Math.floor(status / 100)) ?? op.byDefault;
  return declared && withStatus(declared, status);
}

const specWide = new WeakMap<readonly PreparedOperation[], Map<number, PreparedResponse | undefined>>();

/**
 * What the spec declares for `status` where no operation matched (404, 405): of the responses the
 * operations declare for that status, else for its range, else `default` (the first kind any operation
 * declares), the one the most operations declare; a tie goes to the first in the spec. Worked out once.
 */
export function specWideResponse(operations: readonly PreparedOperation[], status: number): PreparedResponse | undefined {
  let known = specWide.get(operations);
  if (!known) {
    known = new Map();
    specWide.set(operations, known);
  }
  if (known.has(status)) return known.get(status);
  const kinds: Array<(op: PreparedOperation) => PreparedResponse | undefined> = [
    (op) => op.byStatus.get(status),
    (op) => op.byRange.get(Math.floor(status / 100)),
    (op) => op.byDefault,
  ];
  let chosen: PreparedResponse | undefined;
  for (const kind of kinds) {
    const counts = new Map<string, { response: PreparedResponse; count: number }>();
    for (const op of operations) {
      const response = kind(op);
      if (!response) continue;
      const identity = `${response.headers.join('\n')}\n\n${response.body}`;
      const seen = counts.get(identity);
      if (seen) seen.count += 1;
      else counts.set(identity, { response, count: 1 });
    }
    // Map keeps insertion order, and only a larger count replaces the leader: ties stay with the first.
    let best: { response: PreparedResponse; count: number } | undefined;
    for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
    if (best) {
      chosen = withStatus(best.response, status);
      break;
    }
  }
  known.set(status, chosen);
  return chosen;
}

/** An error the engine raises: the spec's declared response when there is one, else the built-in shape; always with the reason header. */
function raised(declared: PreparedResponse | undefined, status: number, message: string, extra?: Record<string, unknown>): PreparedResponse {
  const response = declared ?? errorResponse(status, message, extra);
  return { ...response, headers: response.headers.concat(REASON_HEADER, headerSafe(message)) };
}

/** 404: no operation has this path. */
export const notFound = (operations: readonly PreparedOperation[], method: string, path: string) =>
  raised(specWideResponse(operations, 404), 404, `Route ${method}:${path} not found`);

/** 405: the path's operations take other methods. */
export const methodNotAllowed = (operations: readonly PreparedOperation[], method: string, path: string) =>
  raised(specWideResponse(operations, 405), 405, `Route ${method}:${path} does not allow ${method}`);

/** 401: a secured operation without a credential it knows. */
export const unauthorized = (op: PreparedOperation) => raised(declaredResponse(op, 401), 401, 'Missing or invalid credentials');

/** 413: a body over the engine's limit. */
export const payloadTooLarge = (op: PreparedOperation) => raised(declaredResponse(op, 413), 413, 'Request body is larger than 1 MiB');

/** 400: a body that is not JSON, or a request Prism cannot read. */
export const badRequest = (op: PreparedOperation, message: string) => raised(declaredResponse(op, 400), 400, message);

/**
 * A request that breaks the spec (`validate`): the operation's 400, else its 422 (schema violations are a
 * 400 to Fastify and Express validators, a 422 to FastAPI; a spec that declares one of them names the one
 * its server sends), else its 4XX or default as a 422, else the built-in 422 with the violations.
 */
export function invalidRequest(op: PreparedOperation, message: string, violations: unknown): PreparedResponse {
  const declared = op.byStatus.get(400) ?? op.byStatus.get(422);
  if (declared) return raised(declared, declared.status, message);
  return raised(declaredResponse(op, 422), 422, message, { violations });
}

/** 501: the operation declares no 2xx response to serve. */
export const notImplemented = (op: PreparedOperation) =>
  raised(declaredResponse(op, 501), 501, `The spec declares no 2xx response for ${op.method} ${op.path}`);

/** 422: an Idempotency-Key reused with another body. */
export const idempotencyMismatch = (op: PreparedOperation) =>
  raised(
    declaredResponse(op, 422),
    422,
    'Idempotency-Key was already used with a different request body; retry with the same body, or use a new key for a new request',
  );

/** 500: the mock itself failed (its log says why); no operation to take a shape from. */
export const internalError = () => errorResponse(500, 'The mock failed to answer this request; its log says why.');

/**
 * A scripted server error: the spec's response for exactly that status, else the step's own body (the
 * caller's), else the operation's range or default response (or, off every operation, the spec-wide one),
 * else the built-in shape. The same on every transport.
 */
export function scriptedServerError(op: PreparedOperation | undefined, operations: readonly PreparedOperation[], status: number): PreparedResponse {
  return (op ? declaredResponse(op, status) : specWideResponse(operations, status)) ?? errorResponse(status, 'Scripted fault');
}
