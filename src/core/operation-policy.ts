import type { LimitPolicy, OperationPolicy, RateLimitPolicy } from './policy.js';

/** The operation policy of a method and path template, if the spec gives it one. */
export function operationPolicyOf(policy: RateLimitPolicy, method: string, path: string): OperationPolicy | undefined {
  const upper = method.toUpperCase();
  return policy.operations.find((op) => op.method === upper && op.path === path);
}

/**
 * The limits that apply to a request of an operation, in the order they are checked. Inheriting (the
 * default): the root limits in their order, each overridden by the operation's entry of the same name,
 * then the operation's new limits. Not inheriting: the operation's entries in their order, each over the
 * root limit of its name if there is one (an entry with just a name keeps that root limit as it is). The
 * operation's `cost` applies to every limit that sets none of its own there. Without an operation (a path
 * no operation matches), the root limits.
 */
export function limitsFor(policy: RateLimitPolicy, operation: OperationPolicy | undefined): LimitPolicy[] {
  if (!operation) return policy.limits;
  const first = policy.limits[0];
  const merged = (entry: OperationPolicy['limits'][number] | undefined, root: LimitPolicy | undefined): LimitPolicy => {
    const base: LimitPolicy = root ?? {
      name: entry?.name ?? '',
      limit: 1,
      windowMs: 1,
      algorithm: first?.algorithm ?? 'fixed-window',
      key: first?.key ?? { by: 'ip' },
      cost: 1,
      unit: 'requests',
      bucket: 'shared',
      report: true,
      rejection: policy.rejection,
    };
    return { ...base, ...entry, cost: entry?.cost ?? operation.cost ?? base.cost };
  };
  const rootNamed = (name: string) => policy.limits.find((l) => l.name === name);
  if (!operation.inherit) return operation.limits.map((entry) => merged(entry, rootNamed(entry.name)));
  const own = new Map(operation.limits.map((entry) => [entry.name, entry]));
  return [
    ...policy.limits.map((limit) => merged(own.get(limit.name), limit)),
    ...operation.limits.filter((entry) => !rootNamed(entry.name)).map((entry) => merged(entry, undefined)),
  ];
}
