import { type OperationPlace, parseOperationPolicy } from '../core/parse-operation-policy.js';
import { findOperationPolicyProblems, type PolicyProblem, parsePolicy } from '../core/parse-policy.js';
import type { RateLimitPolicy } from '../core/policy.js';
import { resolveNode, type SpecNode, toPointer } from './spec-operations.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const isNode = (value: unknown): value is SpecNode => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The operations that carry an `x-rate-limit` of their own, with where they are and the raw value. */
export function operationExtensions(document: SpecNode): Array<OperationPlace & { raw: unknown }> {
  const out: Array<OperationPlace & { raw: unknown }> = [];
  const paths = isNode(document.paths) ? document.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    if (!path.startsWith('/')) continue;
    const item = resolveNode(document, rawItem);
    if (!item) continue;
    for (const method of METHODS) {
      const operation = resolveNode(document, item[method]);
      if (operation && 'x-rate-limit' in operation) {
        out.push({ method: method.toUpperCase(), path, pointer: toPointer('paths', path, method, 'x-rate-limit'), raw: operation['x-rate-limit'] });
      }
    }
  }
  return out;
}

/**
 * Reads a document's whole rate-limit policy: the root `x-rate-limit` and every operation's own.
 * Throws a one-line RateLimitContractError naming the file and the JSON pointer of the first problem.
 */
export function parseSpecPolicy(document: SpecNode, source: string): RateLimitPolicy {
  const rootRaw = document['x-rate-limit'];
  const root = parsePolicy(rootRaw, source);
  const operations = operationExtensions(document).map((op) => parseOperationPolicy(op.raw, op, rootRaw, root, source));
  return { ...root, operations };
}

/** The problems of every operation's `x-rate-limit` (the root's are findPolicyProblems'). */
export function findOperationProblems(document: SpecNode): PolicyProblem[] {
  const rootRaw = isNode(document['x-rate-limit']) ? document['x-rate-limit'] : {};
  return operationExtensions(document).flatMap((op) => findOperationPolicyProblems(op.raw, op.pointer, rootRaw));
}
