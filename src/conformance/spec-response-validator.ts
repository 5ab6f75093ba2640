import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ProbeResponse } from './conformance-check.js';
import { type Located, locate, pointerToken } from './spec-lookup.js';

/** The outcome of validating one response: where the spec declares it, and every problem found. */
export interface ResponseValidation {
  /** e.g. `#/components/responses/RateLimited`. */
  declaredAt: string;
  problems: string[];
}

const SPEC_ID = 'urn:ratelimit-contract:spec';

function describe(where: string, error: ErrorObject): string {
  const extra =
    error.keyword === 'additionalProperties'
      ? ` ("${String(error.params.additionalProperty)}")`
      : error.keyword === 'const'
        ? ` (${JSON.stringify(error.params.allowedValue)})`
        : '';
  return `${where}${error.instancePath} ${error.message ?? 'is invalid'}${extra}`;
}

/** Deserializes a header as the `simple` style does: numbers and booleans as their schema types say. */
function headerValue(text: string, schema: Record<string, unknown> | undefined): unknown {
  const types = ([] as unknown[]).concat(schema?.type ?? []);
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  if (types.includes('boolean') && /^(true|false)$/.test(text.trim())) return text.trim() === 'true';
  return text;
}

const mediaMatches = (declared: string, actual: string) => {
  const [type, sub] = declared.toLowerCase().split(';')[0]?.trim().split('/') ?? [];
  const [aType, aSub] = actual.split('/');
  return (type === '*' || type === aType) && (sub === '*' || sub === aSub);
};

/**
 * Validates responses against the spec with ajv: the status must be declared for the operation, the
 * content type must be one the response declares, the body must match its schema, and each declared
 * header must be present when required and match its schema. Schemas are compiled by reference into the
 * spec document itself, so `$ref`s, `const`, `additionalProperties` and the rest mean what the spec says.
 * ajv is loaded here, when a session opens, so that importing the package does not load it.
 */
export async function createResponseValidator(document: Record<string, unknown>) {
  const openapi = typeof document.openapi === 'string' ? document.openapi : '3.1.0';
  const options = { strict: false, allErrors: true, validateSchema: false, validateFormats: false } as const;
  const ajv = openapi.startsWith('3.0') ? new (await import('ajv')).Ajv(options) : new (await import('ajv/dist/2020.js')).Ajv2020(options);
  ajv.addSchema(document, SPEC_ID);
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string) => {
    let fn = compiled.get(pointer);
    if (!fn) {
      fn = ajv.compile({
        $ref: `${SPEC_ID}#${pointer
          .split('/')
          .map((t) => encodeURIComponent(t).replace(/%7E/g, '~'))
          .join('/')}`,
      });
      compiled.set(pointer, fn);
    }
    return fn;
  };
  const check = (pointer: string, value: unknown, where: string): string[] => {
    const fn = validatorAt(pointer);
    return fn(value) ? [] : (fn.errors ?? []).map((e) => describe(where, e));
  };

  return (method: string, template: string, response: ProbeResponse): ResponseValidation | undefined => {
    const responses = `/paths/${pointerToken(template)}/${method.toLowerCase()}/responses`;
    const status = String(response.status);
    const declared: Located | undefined = [status, `${status[0]}XX`, `${status[0]}xx`, 'default']
      .map((code) => locate(document, `${responses}/${pointerToken(code)}`))
      .find((r) => r !== undefined);
    if (!declared) return undefined;
    const problems: string[] = [];
    const content = (declared.node.content ?? {}) as Record<string, unknown>;
    const actualType = (response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length > 0) {
      const mediaType = mediaTypes.find((t) => mediaMatches(t, actualType));
      if (!mediaType) problems.push(`content-type "${response.headers['content-type'] ?? '(none)'}" is not one the spec declares (${mediaTypes.join(', ')})`);
      const media = mediaType === undefined ? undefined : locate(document, `${declared.pointer}/content/${pointerToken(mediaType)}`);
      if (media && media.node.schema !== undefined) {
        let body: unknown = response.text;
        let parsed = true;
        if (/json/i.test(mediaType ?? '')) {
          try {
            body = JSON.parse(response.text);
          } catch {
            parsed = false;
            problems.push(`body is not JSON: ${JSON.stringify(response.text.slice(0, 80))}`);
          }
        }
        if (parsed) problems.push(...check(`${media.pointer}/schema`, body, 'body'));
      }
    }
    for (const name of Object.keys((declared.node.headers ?? {}) as Record<string, unknown>)) {
      if (name.toLowerCase() === 'content-type') continue;
      const header = locate(document, `${declared.pointer}/headers/${pointerToken(name)}`);
      if (!header) continue;
      const value = response.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.node.required === true) problems.push(`header ${name} is required but missing`);
        continue;
      }
      if (header.node.schema !== undefined) {
        const schema = locate(document, `${header.pointer}/schema`)?.node;
        problems.push(...check(`${header.pointer}/schema`, headerValue(value, schema), `header ${name}`));
      }
    }
    return { declaredAt: `#${declared.pointer}`, problems };
  };
}

export type ResponseValidator = Awaited<ReturnType<typeof createResponseValidator>>;
