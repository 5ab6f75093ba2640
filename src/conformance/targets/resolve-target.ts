import type { RequestListener, Server } from 'node:http';
import { RateLimitContractError } from '../../core/errors.js';
import type { ConformanceTarget } from './conformance-target.js';
import { createUrlTarget, type UrlTargetOptions } from './url-target.js';

/**
 * What a user may pass as the target: a base URL, an `http.Server` (listening or not), a request listener
 * such as an Express app, or a ready-made ConformanceTarget.
 */
export type TargetInput = string | URL | Server | RequestListener | ConformanceTarget;

const isTarget = (value: unknown): value is ConformanceTarget =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ConformanceTarget).send === 'function' &&
  typeof (value as ConformanceTarget).close === 'function';

const isServer = (value: unknown): value is Server =>
  typeof value === 'object' && value !== null && typeof (value as Server).listen === 'function' && typeof (value as Server).address === 'function';

/** Turns the user's target into a ConformanceTarget; supertest is loaded only for in-process targets. */
export async function resolveTarget(input: TargetInput, options: UrlTargetOptions = {}): Promise<ConformanceTarget> {
  if (typeof input === 'string' || input instanceof URL) return createUrlTarget(String(input), options);
  if (isTarget(input)) return input;
  if (isServer(input) || typeof input === 'function') {
    const { createSupertestTarget } = await import('./supertest-target.js');
    return createSupertestTarget(input, isServer(input) ? 'in-process http.Server' : 'in-process app');
  }
  throw new RateLimitContractError(
    'ERR_RLC_USAGE',
    'Failed to use the target: it is not a URL, an http.Server or a request listener. Pass e.g. "http://127.0.0.1:3001", an Express app, or fastify.server after `await fastify.ready()`.',
  );
}
