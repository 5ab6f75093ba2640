import { RateLimitContractError } from '../core/errors.js';
import { escapePointerToken as pointerToken } from '../openapi/spec-operations.js';
import type { ResolvedSpec } from '../openapi/spec-refs.js';
import type { ResponseCatalog } from './response-catalog.js';

/** A field value node accepts (RFC 9110 §5.5 as node checks it): HTAB, visible ASCII, SP, obs-text. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** A field name: an RFC 9110 token. */
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Targets of local `$ref`s by pointer, per document: a thousand operations share a few header components. */
const targetsOf = new WeakMap<Node, Map<string, unknown>>();
/** Objects already found to hold no string a header cannot carry. */
const cleanNodes = new WeakSet<object>();

function lookup(document: Node, target: string): unknown {
  const targets = targetsOf.get(document) ?? new Map<string, unknown>();
  targetsOf.set(document, targets);
  if (targets.has(target)) return targets.get(target);
  let next: unknown = document;
  for (const raw of target.split('/').slice(1)) {
    let token = raw;
    try {
      token = decodeURIComponent(raw);
    } catch {
      // keep the raw token
    }
    next = isNode(next) || Array.isArray(next) ? (next as Node)[token.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  targets.set(target, next);
  return next;
}

/** Follows local `$ref`s from a node, keeping the JSON pointer of where it ends up. */
function follow(document: Node, node: unknown, pointer: string): { node: unknown; pointer: string } {
  let at = { node, pointer };
  for (let hops = 0; hops < 20 && isNode(at.node) && typeof at.node.$ref === 'string' && at.node.$ref.startsWith('#'); hops += 1) {
    const target = at.node.$ref.slice(1);
    at = { node: lookup(document, target), pointer: target };
  }
  return at;
}

/** Whether every string under `node` (refs followed) can be a header value; clean objects are remembered. */
function isClean(document: Node, node: unknown, depth: number): boolean {
  const at = follow(document, node, '').node;
  if (typeof at === 'string') return FIELD_VALUE.test(at);
  if (at === null || typeof at !== 'object' || cleanNodes.has(at) || depth > 20) return true;
  for (const key in at) if (!isClean(document, (at as Node)[key], depth + 1)) return false;
  cleanNodes.add(at);
  return true;
}

/** The pointer of the first string under `node` (refs followed) that a header value cannot carry. */
function findBadString(document: Node, node: unknown, pointer: string, depth = 0): string | undefined {
  if (depth === 0 && isClean(document, node, 0)) return undefined;
  const at = follow(document, node, pointer);
  if (typeof at.node === 'string') return FIELD_VALUE.test(at.node) ? undefined : at.pointer;
  if (depth > 20 || typeof at.node !== 'object' || at.node === null) return undefined;
  for (const [key, child] of Object.entries(at.node)) {
    const found = findBadString(document, child, `${at.pointer}/${pointerToken(key)}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Keys of a header object, and of its schema, whose strings a mock may send as the header's value. */
const EXAMPLE_KEYS = ['example', 'examples', 'default', 'enum', 'const'];

/** The first example-like string under a header object (refs followed), by JSON pointer. */
function badHeaderExample(document: Node, header: unknown, pointer: string): string | undefined {
  const at = follow(document, header, pointer);
  if (!isNode(at.node)) return undefined;
  const schema = follow(document, at.node.schema, `${at.pointer}/schema`);
  for (const [node, base] of [
    [at.node, at.pointer],
    [schema.node, schema.pointer],
  ] as const) {
    if (!isNode(node)) continue;
    for (const key of EXAMPLE_KEYS) {
      if (node[key] === undefined) continue;
      const found = findBadString(document, node[key], `${base}/${pointerToken(key)}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** A pointer as a URI fragment shows it (RFC 6901 §6): control characters percent-encoded, so it stays on one line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it encodes.
const shown = (pointer: string) => pointer.replace(/[\x00-\x1f\x7f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

function refuse(resolved: ResolvedSpec, pointer: string, what: string, where: string): never {
  throw new RateLimitContractError(
    'ERR_RLC_SPEC_INVALID',
    `Failed to load the spec ${resolved.spec.source}#${shown(pointer)}: ${what} holds CR, LF or another character a header cannot carry, so ${where} would fail. Fix the spec: remove the character.`,
  );
}

/**
 * Refuses, before anything is rendered, response header names, header examples (example, examples,
 * and their schema's example, default, enum and const) and media types that a header cannot carry:
 * node throws on them, so every response of the route would be a 500. Names the JSON pointer.
 */
export function checkSpecHeaderValues(resolved: ResolvedSpec): void {
  const document = resolved.bundled;
  const paths = isNode(document.paths) ? document.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = follow(document, rawItem, `/paths/${pointerToken(path)}`);
    if (!isNode(item.node)) continue;
    for (const [method, rawOperation] of Object.entries(item.node)) {
      const operation = follow(document, rawOperation, `${item.pointer}/${pointerToken(method)}`);
      const responses = isNode(operation.node) ? follow(document, operation.node.responses, `${operation.pointer}/responses`) : undefined;
      if (!responses || !isNode(responses.node)) continue;
      for (const [code, rawResponse] of Object.entries(responses.node)) {
        const response = follow(document, rawResponse, `${responses.pointer}/${pointerToken(code)}`);
        if (!isNode(response.node)) continue;
        const where = `every ${code} of ${method.toUpperCase()} ${path}`;
        const headers = follow(document, response.node.headers, `${response.pointer}/headers`);
        for (const [name, header] of Object.entries(isNode(headers.node) ? headers.node : {})) {
          const headerPointer = `${headers.pointer}/${pointerToken(name)}`;
          if (!FIELD_NAME.test(name)) refuse(resolved, headerPointer, `the header name ${JSON.stringify(name)}`, where);
          const bad = badHeaderExample(document, header, headerPointer);
          if (bad) refuse(resolved, bad, `the example of header ${name}`, where);
        }
        const content = follow(document, response.node.content, `${response.pointer}/content`);
        for (const type of Object.keys(isNode(content.node) ? content.node : {}))
          if (!FIELD_VALUE.test(type)) refuse(resolved, `${content.pointer}/${pointerToken(type)}`, `the media type ${JSON.stringify(type)}`, where);
      }
    }
  }
}

/**
 * Refuses, at load, a spec whose rendered responses could not be written: a header example, a header
 * name or a media type with CR, LF or another byte a header cannot carry would make node throw on
 * every response of that route (a 500). The error names the JSON pointer of the value in the spec.
 */
export function checkCatalogHeaders(catalog: ResponseCatalog, resolved: ResolvedSpec): void {
  const document = resolved.bundled;
  for (const op of catalog.operations) {
    for (const [code, response] of Object.entries(op.responses)) {
      const bad = Object.entries(response.headers).find(([name, value]) => !FIELD_NAME.test(name) || !FIELD_VALUE.test(value));
      const badType = response.contentType !== undefined && !FIELD_VALUE.test(response.contentType);
      if (!bad && !badType) continue;
      const paths = isNode(document.paths) ? document.paths : {};
      const item = follow(document, paths[op.path], `/paths/${pointerToken(op.path)}`);
      const operation = follow(document, isNode(item.node) ? item.node[op.method.toLowerCase()] : undefined, `${item.pointer}/${op.method.toLowerCase()}`);
      const responses = isNode(operation.node) ? operation.node.responses : undefined;
      const declared = follow(document, isNode(responses) ? responses[code] : undefined, `${operation.pointer}/responses/${code}`);
      const declaredNode = isNode(declared.node) ? declared.node : {};
      let pointer: string;
      let what: string;
      if (bad) {
        const [name] = bad;
        const headers = isNode(declaredNode.headers) ? declaredNode.headers : {};
        const key = Object.keys(headers).find((k) => k.toLowerCase() === name) ?? name;
        const headerPointer = `${declared.pointer}/headers/${pointerToken(key)}`;
        pointer = FIELD_NAME.test(name) ? (findBadString(document, headers[key], headerPointer) ?? headerPointer) : headerPointer;
        what = FIELD_NAME.test(name) ? `the example of header ${key}` : `the header name ${JSON.stringify(key)}`;
      } else {
        const content = isNode(declaredNode.content) ? declaredNode.content : {};
        const key = Object.keys(content).find((k) => !FIELD_VALUE.test(k)) ?? '';
        pointer = `${declared.pointer}/content/${pointerToken(key)}`;
        what = `the media type ${JSON.stringify(key)}`;
      }
      throw new RateLimitContractError(
        'ERR_RLC_SPEC_INVALID',
        `Failed to load the spec ${resolved.spec.source}#${shown(pointer)}: ${what} holds CR, LF or another character a header cannot carry, so every ${code} of ${op.method} ${op.path} would fail. Fix the spec: remove the character.`,
      );
    }
  }
}
