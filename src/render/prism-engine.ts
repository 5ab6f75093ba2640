import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import type { ResolvedSpec } from '../openapi/spec-refs.js';

const require = createRequire(import.meta.url);

/** An object that stands for `pick()` and only calls it when first used (functions bound to the real one). */
function deferred(pick: () => Record<string | symbol, unknown>): Record<string | symbol, unknown> {
  return new Proxy(
    {},
    {
      get: (_target, key) => {
        const real = pick();
        const value = real[key];
        return typeof value === 'function' ? value.bind(real) : value;
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
 * Prism's mocker requires @faker-js/faker when it loads (every locale: a second or more, a third of a
 * first start) and hands `faker.default` to json-schema-faker, although faker only serves dynamic
 * examples, which we never ask for. Until something uses it, a stand-in module defers the real one.
 */
function deferFaker(): void {
  let path: string;
  try {
    path = require.resolve('@faker-js/faker', { paths: [dirname(require.resolve('@stoplight/prism-http/package.json'))] });
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
  const fakerDefault = deferred(() => load().default as Record<string | symbol, unknown>);
  const rest = deferred(load);
  standIn.exports = new Proxy({}, { get: (_target, key) => (key === 'default' ? fakerDefault : rest[key]) });
  require.cache[path] = standIn;
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
  deferFaker();
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
