/** An object node of an OpenAPI document. */
export type SpecNode = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Escapes one JSON pointer token (RFC 6901): `~` as `~0`, `/` as `~1`. */
export const escapePointerToken = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** Joins tokens into a JSON pointer, e.g. `['paths', '/v1/x']` → `/paths/~1v1~1x`. */
export const toPointer = (...tokens: string[]): string => tokens.map((t) => `/${escapePointerToken(t)}`).join('');

const isNode = (value: unknown): value is SpecNode => typeof value === 'object' && value !== null && !Array.isArray(value);

function lookup(document: SpecNode, pointer: string): unknown {
  let node: unknown = document;
  for (const raw of pointer.split('/').slice(1)) {
    if (!isNode(node) && !Array.isArray(node)) return undefined;
    let token: string;
    try {
      token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined; // a malformed escape: no-unresolved-refs reports the ref
    }
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/**
 * Follows local `$ref`s (`#/components/...`) to the object they name. External or broken refs resolve
 * to undefined: Redocly's no-unresolved-refs rule reports those, so the contract rules skip them.
 */
export function resolveNode(document: SpecNode, value: unknown): SpecNode | undefined {
  let node = value;
  for (let hops = 0; hops < 20 && isNode(node) && typeof node.$ref === 'string'; hops += 1) {
    const ref = node.$ref;
    if (!ref.startsWith('#')) return undefined;
    node = lookup(document, ref.slice(1));
  }
  return isNode(node) && typeof node.$ref !== 'string' ? node : undefined;
}

/** One operation of the document, with the JSON pointer of its responses object. */
export interface SpecOperation {
  /** The path template, e.g. `/v1/payment-intents/{id}`. */
  path: string;
  /** Lower-case method. */
  method: string;
  /** Status code (or range such as `4XX`) → resolved response object. */
  responses: Map<string, SpecNode>;
  /** `/paths/<path>/<method>/responses` */
  responsesPointer: string;
  /** The operation object itself (resolved). */
  node: SpecNode;
}

/** Lists every operation under `paths`, with their responses resolved through local refs. */
export function listOperations(document: SpecNode): SpecOperation[] {
  const operations: SpecOperation[] = [];
  const paths = isNode(document.paths) ? document.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolveNode(document, rawItem);
    if (!item) continue;
    for (const method of METHODS) {
      const operation = resolveNode(document, item[method]);
      if (!operation) continue;
      const responses = new Map<string, SpecNode>();
      const raw = isNode(operation.responses) ? operation.responses : {};
      for (const [code, response] of Object.entries(raw)) {
        const resolved = resolveNode(document, response);
        if (resolved) responses.set(code, resolved);
      }
      operations.push({ path, method, responses, responsesPointer: toPointer('paths', path, method, 'responses'), node: operation });
    }
  }
  return operations;
}

/** The lower-case header names a response declares. */
export function declaredHeaders(response: SpecNode): Set<string> {
  return new Set(Object.keys(isNode(response.headers) ? response.headers : {}).map((name) => name.toLowerCase()));
}

/** A JSON media type: `application/json` or any `+json` suffix type. */
export const isJsonMediaType = (mediaType: string): boolean => /^application\/(?:[\w.+-]+\+)?json$/i.test(mediaType.split(';')[0]?.trim() ?? '');

/** The media types a response declares, resolved. */
export function mediaTypes(document: SpecNode, response: SpecNode): Array<[string, SpecNode]> {
  const content = isNode(response.content) ? response.content : {};
  return Object.entries(content).flatMap(([type, media]) => {
    const resolved = resolveNode(document, media);
    return resolved ? [[type, resolved] as [string, SpecNode]] : [];
  });
}

/** The examples of a media type object: `example`, then each `examples/<name>/value`, with their names. */
export function mediaExamples(document: SpecNode, media: SpecNode): Array<{ name: string; value: unknown }> {
  const out: Array<{ name: string; value: unknown }> = [];
  if ('example' in media) out.push({ name: 'example', value: media.example });
  if (isNode(media.examples)) {
    for (const [name, example] of Object.entries(media.examples)) {
      const resolved = resolveNode(document, example);
      if (resolved && 'value' in resolved) out.push({ name: `examples/${escapePointerToken(name)}/value`, value: resolved.value });
    }
  }
  return out;
}
