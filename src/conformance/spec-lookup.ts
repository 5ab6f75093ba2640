/** An object node of an OpenAPI document, with the JSON pointer it was found at (after following refs). */
export interface Located {
  node: Record<string, unknown>;
  pointer: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Escapes one JSON pointer token (RFC 6901). */
export const pointerToken = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** The value at a JSON pointer of the document (refs not followed), else undefined. */
export function valueAt(document: Record<string, unknown>, pointer: string): unknown {
  let node: unknown = document;
  for (const raw of pointer.split('/').slice(1)) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/**
 * Follows local `$ref`s from `pointer` and returns the object reached with its own pointer, so that a
 * schema inside it can be handed to ajv by reference. External or broken refs give undefined.
 */
export function locate(document: Record<string, unknown>, pointer: string): Located | undefined {
  let current = pointer;
  let node = valueAt(document, current);
  for (let hops = 0; hops < 20 && isObject(node) && typeof node.$ref === 'string'; hops += 1) {
    if (!node.$ref.startsWith('#')) return undefined;
    current = node.$ref.slice(1);
    node = valueAt(document, current);
  }
  return isObject(node) && typeof node.$ref !== 'string' ? { node, pointer: current } : undefined;
}

/** One operation of the spec, located. */
export interface SpecOperation {
  method: string;
  /** The path template, e.g. `/docs/{page}`. */
  template: string;
  operation: Located;
  /** Path-level and operation-level parameters, resolved. */
  parameters: Array<Record<string, unknown>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/** Lists the operations under `paths` in document order. */
export function listSpecOperations(document: Record<string, unknown>): SpecOperation[] {
  const out: SpecOperation[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const template of Object.keys(paths)) {
    const item = locate(document, `/paths/${pointerToken(template)}`);
    if (!item) continue;
    const shared = Array.isArray(item.node.parameters) ? item.node.parameters.map((_, i) => locate(document, `${item.pointer}/parameters/${i}`)?.node) : [];
    for (const method of METHODS) {
      const operation = locate(document, `${item.pointer}/${method}`);
      if (!operation) continue;
      const own = Array.isArray(operation.node.parameters)
        ? operation.node.parameters.map((_, i) => locate(document, `${operation.pointer}/parameters/${i}`)?.node)
        : [];
      const parameters = [...shared, ...own].filter(isObject);
      out.push({ method: method.toUpperCase(), template, operation, parameters });
    }
  }
  return out;
}

/** An example value for a parameter: `example`, then the schema's example, enum, default; else undefined. */
export function parameterExample(parameter: Record<string, unknown>): unknown {
  if (parameter.example !== undefined) return parameter.example;
  if (isObject(parameter.examples)) {
    const first = Object.values(parameter.examples)[0];
    if (isObject(first) && first.value !== undefined) return first.value;
  }
  const schema = isObject(parameter.schema) ? parameter.schema : {};
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  return schema.default;
}

/** The JSON example of an operation's request body, serialized; undefined when it declares no body. */
export function requestBodyExample(document: Record<string, unknown>, operation: Located): string | undefined {
  const body = locate(document, `${operation.pointer}/requestBody`);
  if (!body) return undefined;
  const content = isObject(body.node.content) ? body.node.content : {};
  const type = Object.keys(content).find((t) => /json/i.test(t));
  if (type === undefined) return undefined;
  const media = locate(document, `${body.pointer}/content/${pointerToken(type)}`);
  if (media?.node.example !== undefined) return JSON.stringify(media.node.example);
  const examples = media && isObject(media.node.examples) ? Object.values(media.node.examples) : [];
  const first = examples[0];
  return isObject(first) && first.value !== undefined ? JSON.stringify(first.value) : '{}';
}
