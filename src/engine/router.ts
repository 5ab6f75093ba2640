import type { RenderedOperation } from '../render/response-catalog.js';

/** A route match: the operation, or the methods the path allows (for 405), or nothing (404). */
export type RouteMatch<T> = { kind: 'found'; value: T; params: Record<string, string> } | { kind: 'method'; allow: string[] } | { kind: 'none' };

interface Route<T> {
  method: string;
  regex: RegExp | undefined;
  literal: string;
  names: string[];
  value: T;
}

/** Compiles OpenAPI path templates into a case-sensitive matcher; literal paths are a Map lookup. */
export function createRouter<T extends Pick<RenderedOperation, 'method' | 'path'>>(operations: readonly T[]) {
  const literal = new Map<string, Map<string, T>>();
  const templated: Route<T>[] = [];
  for (const op of operations) {
    if (!op.path.includes('{')) {
      const byMethod = literal.get(op.path) ?? new Map<string, T>();
      byMethod.set(op.method, op);
      literal.set(op.path, byMethod);
      continue;
    }
    const names: string[] = [];
    const source = op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    templated.push({ method: op.method, regex: new RegExp(`^${source}$`), literal: op.path, names, value: op });
  }
  // Literal routes have no parameters: their match is built once, not per request.
  const found = new Map<T, RouteMatch<T>>();
  for (const byMethod of literal.values())
    for (const op of byMethod.values()) found.set(op, { kind: 'found', value: op, params: Object.freeze({}) as Record<string, string> });
  return (method: string, path: string): RouteMatch<T> => {
    const byMethod = literal.get(path);
    const hit = byMethod?.get(method) ?? (method === 'HEAD' ? byMethod?.get('GET') : undefined);
    if (hit) return found.get(hit) as RouteMatch<T>;
    const allow = byMethod ? [...byMethod.keys()] : [];
    for (const route of templated) {
      const match = route.regex?.exec(path);
      if (!match) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => {
          params[name] = match[i + 1] ?? '';
        });
        return { kind: 'found', value: route.value, params };
      }
      allow.push(route.method);
    }
    return allow.length > 0 ? { kind: 'method', allow } : { kind: 'none' };
  };
}
