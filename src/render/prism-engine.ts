import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import type { ResolvedSpec } from '../openapi/spec-refs.js';

const require = createRequire(import.meta.url);

/** An object that stands for `pick()` and only calls it when first used; `bind`: methods keep `this`. */
function deferred(pick: () => Record<string | symbol, unknown>, bind: boolean): Record<string | symbol, unknown> {
  return new Proxy(
    {},
    {
      get: (_target, key) => {
        const real = pick();
        const value = real[key];
        return bind && typeof value === 'function' ? value.bind(real) : value;
      },
      set: (_target, key, value) => Reflect.set(pick(), key, value),
      has: (_target, key) => key in pick(),
      ownKeys: () => Reflect.ownKeys(pick()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(pick(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
}

/**
 * Puts a stand-in for `name` (as `from` resolves it) in require's cache, so that requiring it costs
 * nothing until a property is read; then the real module loads and answers. `instance` names an export
 * that is read at load time but used later (faker's `default`): it gets a stand-in of its own.
 */
function defer(name: string, from: string, instance?: string): void {
  let path: string;
  try {
    // Resolved from inside the package that requires it (its entry point: not every package exports package.json).
    path = require.resolve(name, { paths: [dirname(require.resolve(from))] });
  } catch {
    return;
  }
  if (require.cache[path]) return;
  let real: Record<string | symbol, unknown> | undefined;
  const load = () => {
    if (!real) {
      delete require.cache[path];
      real = require(path) as Record<string | symbol, unknown>;
    }
    return real;
  };
  const standIn = new Module(path);
  standIn.filename = path;
  standIn.loaded = true;
  const rest = deferred(load, false);
  const inner = instance === undefined ? undefined : deferred(() => load()[instance] as Record<string | symbol, unknown>, true);
  standIn.exports = new Proxy({}, { get: (_target, key) => (key === instance ? inner : rest[key]) });
  require.cache[path] = standIn;
}

/**
 * Prism loads modules we never use when it loads: @faker-js/faker with every locale (a second or more,
 * a third of a first start), for dynamic examples, which we never ask for; and postman-collection (about
 * 0.35 s, with a second faker), for Postman collections, which a spec is not. Stand-ins defer them.
 */
function deferUnusedModules(): void {
  defer('@faker-js/faker', '@stoplight/prism-http', 'default');
  defer('postman-collection', '@stoplight/http-spec');
}

/** A Prism client over some operations (the subset of its API we use). */
export interface PrismClient {
  request(
    url: string,
    input: Record<string, unknown>,
    config?: Record<string, unknown>,
  ): Promise<{
    status: number;
    headers: Record<string, unknown>;
    data: unknown;
    violations: { input: Array<{ path?: string[]; message: string; severity: number }> };
  }>;
}

/** Prism's view of one operation (the fields we read). */
export interface PrismOperation {
  method: string;
  path: string;
  iid?: string;
  security?: unknown[][];
  request?: { headers?: Array<{ name: string }> };
  responses: Array<{ code: string }>;
}

/** A silent logger for Prism: every method is a no-op and `child` returns itself. */
export function silentLogger(): unknown {
  const logger: Record<string, unknown> = {};
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'success', 'log']) logger[level] = () => undefined;
  logger.child = () => logger;
  return logger;
}

/**
 * A deep copy (shared nodes stay shared) that proves the copy names no other document: Prism's ref parser
 * would read or fetch any `$ref` that does not start with `#`, so one here is a bug, never a read.
 */
function copyWithLocalRefsOnly(root: unknown): object {
  const copies = new Map<object, unknown>();
  const copy = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    const done = copies.get(node);
    if (done !== undefined) return done;
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      copies.set(node, out);
      for (const item of node) out.push(copy(item));
      return out;
    }
    const out: Record<string, unknown> = {};
    copies.set(node, out);
    for (const key in node) out[key] = copy((node as Record<string, unknown>)[key]);
    if (typeof out.$ref === 'string' && !out.$ref.startsWith('#')) throw new Error(`Failed to hand the spec to Prism: it still names ${out.$ref}`);
    return out;
  };
  return copy(root) as object;
}

/**
 * Prism's operations for a resolved spec. Prism gets the bundled document, never a file path, so its
 * own ref parser (which reads any file and fetches any URL) finds only `#/...` refs and reads nothing.
 * It dereferences in place, so it gets a copy, checked to hold local refs only. Loading Prism's engine costs about a second, once.
 */
export async function loadPrismOperations(resolved: ResolvedSpec): Promise<PrismOperation[]> {
  deferUnusedModules();
  const prism = require('@stoplight/prism-http') as { getHttpOperationsFromSpec(spec: object): Promise<PrismOperation[]> };
  return prism.getHttpOperationsFromSpec(copyWithLocalRefsOnly(resolved.bundled));
}

/** A Prism client over the given operations. */
export function createPrismClient(operations: readonly PrismOperation[], config: Record<string, unknown>): PrismClient {
  const { createClientFromOperations } = require('@stoplight/prism-http/dist/client.js') as {
    createClientFromOperations(ops: readonly unknown[], config: Record<string, unknown>): PrismClient;
  };
  return createClientFromOperations(operations, { ...config, logger: silentLogger() });
}
