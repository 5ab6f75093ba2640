import type { PreparedResponse } from './prepared-responses.js';

/**
 * Errors the mock raises itself (not from the spec), in the Fastify error shape that ReconLayer uses.
 * They never carry a stack trace or internal detail.
 */
export function errorResponse(status: number, error: string, message: string, extra: Record<string, unknown> = {}): PreparedResponse {
  const body = Buffer.from(JSON.stringify({ statusCode: status, error, message, ...extra }));
  return {
    status,
    headers: ['content-type', 'application/json; charset=utf-8', 'content-length', String(body.length)],
    body,
    wire: body.toString('latin1'),
    json: undefined,
  };
}

export const notFound = (method: string, path: string) => errorResponse(404, 'Not Found', `Route ${method}:${path} not found`);
export const methodNotAllowed = (method: string, path: string) => errorResponse(405, 'Method Not Allowed', `Route ${method}:${path} does not allow ${method}`);
export const payloadTooLarge = () => errorResponse(413, 'Payload Too Large', 'Request body is larger than 1 MiB');
export const unauthorized = () => errorResponse(401, 'Unauthorized', 'Missing or invalid credentials');
export const internalError = () => errorResponse(500, 'Internal Server Error', 'The mock failed to answer this request; its log says why.');
export const injectedServerError = () => errorResponse(500, 'Internal Server Error', 'Injected fault (control API)');
export const idempotencyMismatch = () =>
  errorResponse(
    422,
    'Unprocessable Entity',
    'Idempotency-Key was already used with a different request body; retry with the same body, or use a new key for a new request',
  );
