import { findOperationPolicyProblems, limitFields, operationPolicyError, toCost } from './parse-policy.js';
import type { OperationPolicy, RateLimitPolicy } from './policy.js';

/** Where an operation sits in the document: its method, path template and the pointer of its `x-rate-limit`. */
export interface OperationPlace {
  method: string;
  path: string;
  pointer: string;
}

type RawOperation = { inherit?: boolean; cost?: Parameters<typeof toCost>[0]; limits?: Array<{ name: string } & Record<string, unknown>> };

/**
 * Validates an operation's own `x-rate-limit` and resolves it against the root policy (already parsed)
 * and the root's raw value. An override names a root limit and changes only the fields it gives.
 * @param source the file, named in errors with the operation's JSON pointer.
 */
export function parseOperationPolicy(raw: unknown, place: OperationPlace, rootRaw: unknown, root: RateLimitPolicy, source: string): OperationPolicy {
  const problems = findOperationPolicyProblems(raw, place.pointer, rootRaw);
  if (problems.length > 0) throw operationPolicyError(source, problems);
  const op = raw as RawOperation;
  const limits = (op.limits ?? []).map((entry, i) => {
    const base = root.limits.find((l) => l.name === entry.name);
    return { name: entry.name, ...limitFields(entry, `${source}#${place.pointer}/limits/${i}`, base?.rejection ?? root.rejection) };
  });
  return {
    method: place.method.toUpperCase(),
    path: place.path,
    pointer: place.pointer,
    inherit: op.inherit ?? true,
    ...(op.cost === undefined ? {} : { cost: toCost(op.cost) }),
    limits,
  };
}
