import type { LoadedSpec } from '../openapi/load-spec.js';
import { resolveSpecRefs } from '../openapi/spec-refs.js';
import { createPrismClient, loadPrismOperations } from './prism-engine.js';

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
 * Where a body holds a number JSON cannot mean: `1e999` parses to Infinity, which JSON Schema's
 * `integer` and `number` checks (Prism's ajv) accept. Paths read as Prism's (`body.amount`).
 */
function nonFiniteNumbers(value: unknown, path: string, out: RequestViolation[]): RequestViolation[] {
  if (typeof value === 'number' && !Number.isFinite(value))
    out.push({ location: path, message: 'must be a finite number (it overflows a double, e.g. 1e999)' });
  else if (value !== null && typeof value === 'object' && out.length < 20)
    for (const [key, child] of Object.entries(value)) nonFiniteNumbers(child, `${path}.${key}`, out);
  return out;
}

/**
 * Loads Prism's engine once and returns a request validator over the spec's operations. Only the
 * `--validate` flag pays for it: Prism takes about a second to load and is off the hot path otherwise.
 * The spec's references are read under its ref policy (spec-refs.ts), as for rendering.
 */
export async function createPrismValidator(spec: LoadedSpec): Promise<(request: RequestToValidate) => Promise<RequestViolation[]>> {
  const operations = await loadPrismOperations(await resolveSpecRefs(spec));
  const client = createPrismClient(operations, {
    mock: { dynamic: false },
    validateRequest: true,
    validateResponse: false,
    checkSecurity: false,
    errors: false,
  });
  return async (request) => {
    const overflows = nonFiniteNumbers(request.body, 'body', []);
    if (overflows.length > 0) return overflows;
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
