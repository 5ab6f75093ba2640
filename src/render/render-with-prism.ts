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
 * The status to ask Prism for to render a declared response: its own for `404`; for a range (`4XX`) and for
 * `default`, a status no more specific response claims, so that Prism's negotiator (exact, then range,
 * then default) picks that one. Undefined when every status is claimed, or the key is not a response code.
 */
function statusToRender(code: string, codes: readonly string[]): number | undefined {
  if (/^[1-5]\d\d$/.test(code)) return Number(code);
  const free = (status: number) => !codes.includes(String(status)) && (code !== 'default' || !codes.includes(`${String(status)[0]}XX`));
  const range = /^([1-5])XX$/.exec(code)?.[1];
  const candidates = range ? [Number(range) * 100] : code === 'default' ? [500, 400, 300, 200, 100] : [];
  for (const start of candidates) for (let status = start; status < start + 100; status++) if (free(status)) return status;
  return undefined;
}

/**
 * Renders every declared response of every operation through Prism's engine (static examples, no
 * validation), once, keyed as the spec declares it (`200`, `4XX`, `default`). Prism loads in about a second, so this runs at build time for the shipped specs
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
    const codes = operation.responses.map((r) => r.code);
    for (const code of codes) {
      const status = statusToRender(code, codes);
      if (status === undefined) continue;
      const result = await client.request(samplePath(operation.path), { method: operation.method }, { mock: { dynamic: false, code: status } });
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
