import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RateLimitContractError } from '../core/errors.js';
import { optionLabel } from '../core/option-names.js';
import type { LoadedSpec } from './load-spec.js';
import { DocumentParseError, isSelfContained, parseDocument } from './parse-document.js';
import { BoundedReadError, MAX_DOCUMENT_BYTES, readBoundedFile } from './read-bounded-file.js';

/**
 * The one place a spec's external references are read. Prism (render, --validate) and Redocly (lint)
 * never resolve a `$ref` themselves: Prism gets `bundled`, a document whose every ref points inside it,
 * and Redocly reads only what this module has already read (redocly-resolver.ts).
 *
 * The policy: no network, and no file outside the spec's own directory tree (symlinks are followed
 * before the check); only regular files (never /dev/zero or a FIFO), at most 16 MiB each and 64 MiB in
 * all, 1,000 documents, and 10 s for the whole resolution. `allowExternalRefs` (--allow-external-refs)
 * lifts the directory and network rules, not the caps; a document fetched from a URL may reference
 * other URLs only, never local files.
 */

export const REFS_TIMEOUT_MS = 10_000;
export const MAX_REF_DOCUMENTS = 1_000;
export const MAX_REF_TOTAL_BYTES = 64 * 1024 * 1024;
/** Where `bundled` keeps the referenced documents, by index: `#/x-ratelimit-contract-refs/0/...`. */
export const BUNDLE_KEY = 'x-ratelimit-contract-refs';

/** A spec with its references read under the policy. */
export interface ResolvedSpec {
  spec: LoadedSpec;
  /** The document with each referenced document embedded under BUNDLE_KEY and every `$ref` rewritten to point there. */
  bundled: Record<string, unknown>;
  /** The text of a document this resolution read, by the absolute path or URL a `$ref` names it by. */
  textAt(location: string): string | undefined;
  /** sha256 of the spec's text and of every document it references: keys the render cache. */
  fingerprint: string;
}

interface Doc {
  index: number;
  /** The absolute path (as reached, before symlinks) or the URL. */
  location: string;
  remote: boolean;
  text: string;
  value: unknown;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

class RefRefused extends Error {
  constructor(
    readonly reason: string,
    readonly fix: string,
  ) {
    super(reason);
  }
}

interface FoundRef {
  holder: Record<string, unknown>;
  key: '$ref' | 'externalValue';
  pointer: string;
}

/**
 * Every object that holds a string `$ref` (or, when asked, `externalValue`), with its JSON pointer. The
 * path is kept as a stack of keys and spelled as a pointer only for the refs found: a 1,000-operation
 * spec has half a million nodes, and building a pointer for each took 650 ms.
 */
function collectRefs(value: unknown, externalValues: boolean): FoundRef[] {
  const found: FoundRef[] = [];
  // parseDocument already walked it: a document that names no other needs no second walk.
  if (isSelfContained(value)) return found;
  const seen = new Set<object>();
  const path: string[] = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const record = node as Record<string, unknown>;
    const pointer = () => path.map((key) => `/${escapePointer(key)}`).join('');
    if (typeof record.$ref === 'string') found.push({ holder: record, key: '$ref', pointer: pointer() });
    else if (externalValues && typeof record.externalValue === 'string') found.push({ holder: record, key: 'externalValue', pointer: pointer() });
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i += 1) {
        const child = node[i];
        if (child === null || typeof child !== 'object') continue;
        path.push(String(i));
        walk(child);
        path.pop();
      }
      return;
    }
    for (const key in record) {
      const child = record[key];
      if (child === null || typeof child !== 'object') continue;
      path.push(key);
      walk(child);
      path.pop();
    }
  };
  walk(value);
  return found;
}

const splitRef = (ref: string) => {
  const at = ref.indexOf('#');
  return at === -1 ? { uri: ref, fragment: '' } : { uri: ref.slice(0, at), fragment: ref.slice(at + 1) };
};

const decodePath = (uri: string) => {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
};

async function fetchBounded(url: string, maxBytes: number, signal: AbortSignal): Promise<{ text: string; mimeType: string }> {
  const response = await fetch(url, { signal, redirect: 'follow' });
  if (!response.ok) throw new RefRefused(`the server answered ${response.status}`, 'Check the URL.');
  const reader = response.body?.getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel();
      throw new RefRefused(`it is over ${Math.round(maxBytes / 1_048_576)} MiB`, 'Use a smaller document.');
    }
    parts.push(value);
  }
  return { text: Buffer.concat(parts).toString('utf8'), mimeType: response.headers.get('content-type') ?? '' };
}

/** Reads every document the spec references, under the policy above; see ResolvedSpec. */
async function readReferences(spec: LoadedSpec, externalValues: boolean, timeoutMs: number): Promise<ResolvedSpec> {
  const allow = spec.allowExternalRefs ?? false;
  const allowRefs = optionLabel('allowExternalRefs', spec.spelling).pass(true);
  const rootLocation = resolve(spec.source);
  const rootDir = dirname(await realpath(rootLocation).catch(() => rootLocation));
  const root: Doc = { index: -1, location: rootLocation, remote: false, text: spec.text, value: spec.document };
  const docs: Doc[] = [];
  const byIdentity = new Map<string, Doc>();
  const byLocation = new Map<string, Doc>();
  const targets = new Map<string, Doc>();
  const signal = AbortSignal.timeout(timeoutMs);
  let totalBytes = 0;

  /** Where a reference points: an absolute path or a URL, or a refusal. */
  const locate = (from: Doc, uri: string): { location: string; remote: boolean } => {
    const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
    try {
      if (from.remote) {
        const url = new URL(uri, from.location);
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
          throw new RefRefused('a document read from a URL may reference other URLs only, never local files', 'Use URLs only in documents fetched from a URL.');
        url.hash = '';
        return { location: url.href, remote: true };
      }
      if (scheme === 'http' || scheme === 'https') {
        if (!allow)
          throw new RefRefused(
            'it is a URL, and specs are read without network access',
            `Pass ${allowRefs} to fetch it, or save the document in the spec's directory and reference it by a relative path.`,
          );
        return { location: new URL(uri).href, remote: true };
      }
      if (scheme === 'file') return { location: fileURLToPath(uri), remote: false };
    } catch (error) {
      if (error instanceof RefRefused) throw error;
      throw new RefRefused(`it is not a usable URL (${(error as Error).message})`, `Use a relative path, or an http(s) URL with ${allowRefs}.`);
    }
    if (scheme !== undefined) throw new RefRefused(`the scheme "${scheme}:" is not supported`, `Use a relative path, or an http(s) URL with ${allowRefs}.`);
    return { location: resolve(dirname(from.location), decodePath(uri)), remote: false };
  };

  const load = async (from: Doc, uri: string, parse: boolean): Promise<Doc> => {
    const { location, remote } = locate(from, uri);
    let identity = location;
    if (!remote) {
      identity = await realpath(location).catch((error: NodeJS.ErrnoException) => {
        throw new RefRefused(
          error.code === 'ENOENT' ? 'no such file' : (error.code ?? error.message),
          'Fix the path: it is relative to the file that holds the $ref.',
        );
      });
      if (!allow && identity !== rootDir && !identity.startsWith(rootDir + sep))
        throw new RefRefused(
          `it reads ${identity}, outside the spec's directory ${rootDir}`,
          `Pass ${allowRefs} to allow it, or move the file into the spec's directory.`,
        );
    }
    // Redocly names a document by the path or URL as written (resolved against the referring one).
    const aliases = remote ? [location, uri] : [location, resolve(dirname(from.location), uri), uri];
    const known = byIdentity.get(identity);
    if (known) {
      for (const alias of aliases) byLocation.set(alias, known);
      return known;
    }
    if (docs.length >= MAX_REF_DOCUMENTS) throw new RefRefused(`the spec references over ${MAX_REF_DOCUMENTS} documents`, 'Use fewer, larger documents.');
    const cap = Math.min(MAX_DOCUMENT_BYTES, MAX_REF_TOTAL_BYTES - totalBytes);
    let text: string;
    let mimeType = '';
    try {
      if (remote) ({ text, mimeType } = await fetchBounded(location, cap, signal));
      else text = await readBoundedFile(identity, cap, signal);
    } catch (error) {
      if (error instanceof RefRefused) throw error;
      if (signal.aborted) throw new RefRefused(`reading the spec's references took over ${timeoutMs / 1000} s`, 'Use fewer or faster sources.');
      if (error instanceof BoundedReadError)
        throw new RefRefused(
          error.reason,
          error.code === 'TOO_LARGE'
            ? 'Use a smaller document.'
            : error.code === 'NOT_REGULAR'
              ? 'Use a $ref to a regular YAML or JSON file.'
              : 'Check the file.',
        );
      throw new RefRefused((error as Error).message, 'Check the URL and the network.');
    }
    totalBytes += Buffer.byteLength(text);
    const pathname = remote ? new URL(location).pathname : location;
    const structured = parse || /\.(ya?ml|json)$/i.test(pathname) || /json|yaml/.test(mimeType);
    let value: unknown = text;
    if (structured) {
      try {
        value = parseDocument(text, { json: /\.json$/i.test(pathname) });
      } catch (error) {
        if (!(error instanceof DocumentParseError)) throw error;
        throw new RefRefused(`the document it names cannot be parsed: ${error.message}`, error.fix);
      }
    }
    const doc: Doc = { index: docs.length, location, remote, text, value };
    docs.push(doc);
    byIdentity.set(identity, doc);
    for (const alias of aliases) byLocation.set(alias, doc);
    return doc;
  };

  const queue: Doc[] = [root];
  for (let i = 0; i < queue.length; i += 1) {
    const doc = queue[i] as Doc;
    if (doc.index >= 0 && typeof doc.value !== 'object') continue;
    for (const { holder, key, pointer } of collectRefs(doc.value, externalValues)) {
      const ref = holder[key] as string;
      const { uri, fragment } = key === '$ref' ? splitRef(ref) : { uri: ref, fragment: '' };
      if (uri === '') continue;
      try {
        const target = await load(doc, uri, fragment !== '');
        if (key === '$ref') {
          if (fragment !== '' && !fragment.startsWith('/'))
            throw new RefRefused('its fragment is not a JSON pointer', 'Use a #/json/pointer fragment into that document.');
          targets.set(`${doc.index}\n${uri}`, target);
          if (!queue.includes(target)) queue.push(target);
        }
      } catch (error) {
        if (!(error instanceof RefRefused)) throw error;
        const where = doc.index === -1 ? spec.source : doc.location;
        throw new RateLimitContractError('ERR_RLC_SPEC_READ', `Failed to resolve the ${key} "${ref}" at ${where}#${pointer}: ${error.reason}. ${error.fix}`);
      }
    }
  }

  const textAt = (location: string) => byLocation.get(location)?.text;
  const referenced = new Set(targets.values());
  const embedded = docs.filter((doc) => referenced.has(doc));
  if (embedded.length === 0) return { spec, bundled: spec.document, textAt, fingerprint: docs.length === 0 ? hash(spec.text) : fingerprintOf(spec, docs) };
  return { spec, bundled: bundle(root, embedded, targets), textAt, fingerprint: fingerprintOf(spec, docs) };
}

function fingerprintOf(spec: LoadedSpec, docs: readonly Doc[]): string {
  const digest = createHash('sha256').update(spec.text);
  for (const doc of docs) digest.update(`\0${doc.location}\0`).update(doc.text);
  return digest.digest('hex');
}

/** A copy of the root with each embedded document under BUNDLE_KEY and every `$ref` rewritten to point inside. */
function bundle(root: Doc, embedded: readonly Doc[], targets: ReadonlyMap<string, Doc>): Record<string, unknown> {
  const copies = new Map<object, unknown>();
  const copy = (node: unknown, doc: Doc): unknown => {
    if (node === null || typeof node !== 'object') return node;
    const done = copies.get(node);
    if (done !== undefined) return done;
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      copies.set(node, out);
      for (const item of node) out.push(copy(item, doc));
      return out;
    }
    const out: Record<string, unknown> = {};
    copies.set(node, out);
    for (const [key, value] of Object.entries(node)) out[key] = copy(value, doc);
    if (typeof out.$ref === 'string') {
      const { uri, fragment } = splitRef(out.$ref);
      const target = uri === '' ? (doc.index === -1 ? undefined : doc) : targets.get(`${doc.index}\n${uri}`);
      if (target) out.$ref = `#/${BUNDLE_KEY}/${target.index}${fragment}`;
    }
    return out;
  };
  const bundled = copy(root.value, root) as Record<string, unknown>;
  bundled[BUNDLE_KEY] = Object.fromEntries(embedded.map((doc) => [String(doc.index), copy(doc.value, doc)]));
  return bundled;
}

const memo = new WeakMap<LoadedSpec, Map<boolean, Promise<ResolvedSpec>>>();

/**
 * Reads every document the spec's `$ref`s name (and, for lint, its examples' `externalValue`s) under the
 * policy above, once per loaded spec; a refused or unreadable reference is a one-line
 * RateLimitContractError naming the file and JSON pointer of the `$ref`.
 */
export function resolveSpecRefs(spec: LoadedSpec, options: { externalValues?: boolean; timeoutMs?: number } = {}): Promise<ResolvedSpec> {
  const externalValues = options.externalValues ?? false;
  if (options.timeoutMs !== undefined) return readReferences(spec, externalValues, options.timeoutMs);
  const bySpec = memo.get(spec) ?? new Map<boolean, Promise<ResolvedSpec>>();
  memo.set(spec, bySpec);
  let resolved = bySpec.get(externalValues);
  if (!resolved) {
    resolved = readReferences(spec, externalValues, REFS_TIMEOUT_MS);
    bySpec.set(externalValues, resolved);
  }
  return resolved;
}
