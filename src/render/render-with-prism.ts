import { createHash } from 'node:crypto';
import type { ResolvedSpec } from '../openapi/spec-refs.js';
import { createPrismClient, loadPrismOperations } from './prism-engine.js';
import type { RenderedOperation, RenderedResponse, ResponseCatalog } from './response-catalog.js';

/** Fills `{param}` segments so that Prism routes the request to the operation. */
const samplePath = (template: string) => template.replace(/\{[^}]+\}/g, 'example');

/** Hashes spec text; a spec without external references is keyed by it (see ResolvedSpec.fingerprint). */
export const hashSpec = (text: string) => createHash('sha256').update(text).digest('hex');

const CONFIG = { mock: { dynamic: false }, validateRequest: false, validateResponse: false, checkSecurity: false, errors: false };

/**
 * Renders every declared response of every operation through Prism's engine (static examples, no
 * validation), once. Prism loads in about a second, so this runs at build time for the shipped specs
 * and once per spec version for users' specs (see load-catalog.ts).
 * Each operation gets a Prism client of its own: Prism's router scores every operation of its client on
 * each request, which made rendering quadratic (1,000 operations took 47 s; now about 3 s).
 */
export async function renderWithPrism(resolved: ResolvedSpec): Promise<ResponseCatalog> {
  const operations = await loadPrismOperations(resolved);
  const rendered: RenderedOperation[] = [];
  for (const operation of operations) {
    const client = createPrismClient([operation], CONFIG);
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
  return { specSha256: resolved.fingerprint, renderer: '@stoplight/prism-http', operations: rendered };
}
