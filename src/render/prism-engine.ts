import { createRequire } from 'node:module';
import type { ResolvedSpec } from '../openapi/spec-refs.js';

const require = createRequire(import.meta.url);

/** A Prism client over some operations (the subset of its API we use). */
export interface PrismClient {
  request(
    url: string,
    input: Record<string, unknown>,
    config?: Record<string, unknown>,
  ): Promise<{
    status: number;
    headers: Record<string, unknown>;
    data: unknown;
    violations: { input: Array<{ path?: string[]; message: string; severity: number }> };
  }>;
}

/** Prism's view of one operation (the fields we read). */
export interface PrismOperation {
  method: string;
  path: string;
  iid?: string;
  security?: unknown[][];
  request?: { headers?: Array<{ name: string }> };
  responses: Array<{ code: string }>;
}

/** A silent logger for Prism: every method is a no-op and `child` returns itself. */
export function silentLogger(): unknown {
  const logger: Record<string, unknown> = {};
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'success', 'log']) logger[level] = () => undefined;
  logger.child = () => logger;
  return logger;
}

/**
 * Prism's operations for a resolved spec. Prism gets the bundled document, never a file path, so its
 * own ref parser (which reads any file and fetches any URL) finds only `#/...` refs and reads nothing.
 * It dereferences in place, so it gets a copy. Loading Prism's engine costs about a second, once.
 */
export async function loadPrismOperations(resolved: ResolvedSpec): Promise<PrismOperation[]> {
  const prism = require('@stoplight/prism-http') as { getHttpOperationsFromSpec(spec: object): Promise<PrismOperation[]> };
  return prism.getHttpOperationsFromSpec(structuredClone(resolved.bundled));
}

/** A Prism client over the given operations. */
export function createPrismClient(operations: readonly PrismOperation[], config: Record<string, unknown>): PrismClient {
  const { createClientFromOperations } = require('@stoplight/prism-http/dist/client.js') as {
    createClientFromOperations(ops: readonly unknown[], config: Record<string, unknown>): PrismClient;
  };
  return createClientFromOperations(operations, { ...config, logger: silentLogger() });
}
