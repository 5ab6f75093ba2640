import type { RequestHeaders } from './key-resolver.js';
import type { Cost } from './policy.js';

/** What a cost may be read from: the request's headers, its query string, and its JSON body (parsed on demand). */
export interface CostSource {
  headers: RequestHeaders;
  /** The query string without `?`. */
  query: string;
  /** The parsed JSON body, or undefined when there is none or it is not JSON. */
  json(): unknown;
}

/** A count read from a request field: a number ≥ 0 (JSON) or its text, rounded up; undefined otherwise. */
function units(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  return Math.min(Number.MAX_SAFE_INTEGER, Math.ceil(n));
}

/** Follows a JSON pointer (RFC 6901) into a value. */
function atPointer(value: unknown, pointer: string): unknown {
  let node = value;
  for (const raw of pointer.split('/').slice(1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/**
 * Builds the function that says how many units a request spends under a cost: a fixed number, or a field
 * of the request (a JSON pointer into the body, e.g. an LLM's `/max_tokens`; a query parameter; a
 * header), with the cost's default when the field is missing or is not a number ≥ 0.
 */
export function createCostReader(cost: Cost): (source: CostSource) => number {
  if (typeof cost === 'number') return () => cost;
  const { from, name } = cost;
  const fallback = cost.default;
  if (from === 'header') {
    return ({ headers }) => {
      const value = headers[name];
      return units(Array.isArray(value) ? value[0] : value) ?? fallback;
    };
  }
  if (from === 'query') return ({ query }) => units(new URLSearchParams(query).get(name) ?? undefined) ?? fallback;
  return (source) => units(atPointer(source.json(), name)) ?? fallback;
}
