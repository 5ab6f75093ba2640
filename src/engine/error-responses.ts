import { type PreparedResponse, textResponse } from './prepared-responses.js';

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
 * Errors the engine raises itself (not from the spec), in the Fastify error shape that ReconLayer uses.
 * They never carry a stack trace or internal detail.
 */
export function errorResponse(status: number, message: string, extra: Record<string, unknown> = {}): PreparedResponse {
  return textResponse(status, JSON.stringify({ statusCode: status, error: reasonPhrase(status), message, ...extra }), 'application/json; charset=utf-8');
}

export const notFound = (method: string, path: string) => errorResponse(404, `Route ${method}:${path} not found`);
export const methodNotAllowed = (method: string, path: string) => errorResponse(405, `Route ${method}:${path} does not allow ${method}`);
export const payloadTooLarge = () => errorResponse(413, 'Request body is larger than 1 MiB');
export const unauthorized = () => errorResponse(401, 'Missing or invalid credentials');
export const internalError = () => errorResponse(500, 'The mock failed to answer this request; its log says why.');
/** A scripted server error with no body of its own: the same on every transport. */
export const scriptedServerError = (status: number) => errorResponse(status, 'Scripted fault');
export const idempotencyMismatch = () =>
  errorResponse(422, 'Idempotency-Key was already used with a different request body; retry with the same body, or use a new key for a new request');
