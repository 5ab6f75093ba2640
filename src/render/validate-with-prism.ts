import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A request problem Prism's validator reports, e.g. a missing Idempotency-Key or a bad body field. */
export interface RequestViolation {
  location: string;
  message: string;
}

export interface RequestToValidate {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Loads Prism's engine once and returns a request validator over the spec's operations. Only the
 * `--validate` flag pays for it: Prism takes about a second to load and is off the hot path otherwise.
 */
export async function createPrismValidator(specFile: string): Promise<(request: RequestToValidate) => Promise<RequestViolation[]>> {
  const prism = require('@stoplight/prism-http') as { getHttpOperationsFromSpec(file: string): Promise<unknown[]> };
  const { createClientFromOperations } = require('@stoplight/prism-http/dist/client.js') as {
    createClientFromOperations(
      ops: unknown[],
      config: Record<string, unknown>,
    ): {
      request(
        url: string,
        input: Record<string, unknown>,
        config?: Record<string, unknown>,
      ): Promise<{ violations: { input: Array<{ path?: string[]; message: string; severity: number }> } }>;
    };
  };
  const logger: Record<string, unknown> = {};
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'success', 'log']) logger[level] = () => undefined;
  logger.child = () => logger;
  const operations = await prism.getHttpOperationsFromSpec(specFile);
  const client = createClientFromOperations(operations, {
    mock: { dynamic: false },
    validateRequest: true,
    validateResponse: false,
    checkSecurity: false,
    errors: false,
    logger,
  });
  return async (request) => {
    try {
      // A fresh mock config per request: Prism writes the Accept header's media types into it, which
      // would otherwise stick to every later request (one `Accept: text/html` broke all that followed).
      const result = await client.request(
        request.url,
        { method: request.method.toLowerCase(), headers: request.headers, body: request.body },
        { mock: { dynamic: false } },
      );
      // Prism's DiagnosticSeverity: 0 = error.
      return result.violations.input.filter((v) => v.severity === 0).map((v) => ({ location: (v.path ?? []).join('.'), message: v.message }));
    } catch (error) {
      // With errors off, Prism still throws a problem+json error (422) for invalid requests; its
      // `additional.validation` lists the violations.
      // Content negotiation (406) is about the response Prism would mock, not the request: no violation.
      if ((error as { status?: number }).status === 406) return [];
      const validation = (error as { additional?: { validation?: Array<{ location?: string[]; message: string; severity: string }> } }).additional?.validation;
      if (!validation) throw error;
      return validation.filter((v) => v.severity === 'Error').map((v) => ({ location: (v.location ?? []).join('.'), message: v.message }));
    }
  };
}
