import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { RenderedOperation, RenderedResponse, ResponseCatalog } from './response-catalog.js';

type PrismOperation = {
  method: string;
  path: string;
  iid?: string;
  security?: unknown[][];
  request?: { headers?: Array<{ name: string }> };
  responses: Array<{ code: string }>;
};

/** A silent logger for Prism: every method is a no-op and `child` returns itself. */
function silentLogger(): unknown {
  const logger: Record<string, unknown> = {};
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'success', 'log']) logger[level] = () => undefined;
  logger.child = () => logger;
  return logger;
}

const require = createRequire(import.meta.url);

/** Fills `{param}` segments so that Prism routes the request to the operation. */
const samplePath = (template: string) => template.replace(/\{[^}]+\}/g, 'example');

/** Hashes spec text; the catalog is reused only for the same text. */
export const hashSpec = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Renders every declared response of every operation through Prism's engine (static examples, no
 * validation), once. Prism loads in about a second, so this runs at build time for the shipped specs
 * and once per spec version for users' specs (see load-catalog.ts).
 */
export async function renderWithPrism(specFile: string, specText: string): Promise<ResponseCatalog> {
  const prism = require('@stoplight/prism-http') as { getHttpOperationsFromSpec(file: string): Promise<PrismOperation[]> };
  const { createClientFromOperations } = require('@stoplight/prism-http/dist/client.js') as {
    createClientFromOperations(
      ops: unknown[],
      config: Record<string, unknown>,
    ): {
      request(
        url: string,
        input: { method: string; headers?: Record<string, string> },
        config?: Record<string, unknown>,
      ): Promise<{ status: number; headers: Record<string, unknown>; data: unknown }>;
    };
  };
  const operations = await prism.getHttpOperationsFromSpec(specFile);
  const config = { mock: { dynamic: false }, validateRequest: false, validateResponse: false, checkSecurity: false, errors: false, logger: silentLogger() };
  const client = createClientFromOperations(operations, config);
  const rendered: RenderedOperation[] = [];
  for (const operation of operations) {
    const responses: Record<string, RenderedResponse> = {};
    for (const { code } of operation.responses) {
      if (!/^\d{3}$/.test(code)) continue;
      const result = await client.request(samplePath(operation.path), { method: operation.method }, { mock: { dynamic: false, code: Number(code) } });
      const headers: Record<string, string> = {};
      let contentType: string | undefined;
      for (const [name, value] of Object.entries(result.headers ?? {})) {
        if (name.toLowerCase() === 'content-type') contentType = String(value);
        else headers[name.toLowerCase()] = String(value);
      }
      const body = result.data === undefined || result.data === '' ? null : typeof result.data === 'string' ? result.data : JSON.stringify(result.data);
      responses[code] = { status: result.status, contentType, headers, body };
    }
    rendered.push({
      method: operation.method.toUpperCase(),
      path: operation.path,
      operationId: operation.iid,
      headerParams: (operation.request?.headers ?? []).map((h) => h.name.toLowerCase()),
      secured: (operation.security ?? []).some((requirement) => requirement.length > 0),
      responses,
    });
  }
  return { specSha256: hashSpec(specText), renderer: '@stoplight/prism-http', operations: rendered };
}
