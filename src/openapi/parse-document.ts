import { load as parseYaml } from 'js-yaml';

/**
 * Most nodes that YAML aliases may add to a document beyond what is written. js-yaml builds an alias
 * as a second reference to the anchored node, so parsing stays linear, but everything downstream
 * (hashing, Prism, Redocly, JSON.stringify) walks the expanded tree: "billion laughs" (nine levels of
 * ten aliases, 200 bytes) expands to 10^9 nodes. A real spec that uses anchors adds a few thousand.
 */
export const MAX_ALIAS_EXPANSION = 1_000_000;

/** Deepest nesting walked, aliases followed: deeper documents overflow the stack of every tool downstream. */
export const MAX_DEPTH = 1_000;

/** Why a document could not be parsed, as a phrase (first line of the parser's message), and the fix. */
export class DocumentParseError extends Error {
  constructor(
    message: string,
    readonly fix = 'Fix the YAML/JSON syntax there.',
  ) {
    super(message);
  }
}

/**
 * Walks a parsed document once per distinct node (sizes are memoized by identity) and measures what
 * aliases add: each further appearance of a shared node adds its whole expanded size. Stops early once
 * that passes MAX_ALIAS_EXPANSION. A cycle (a recursive alias, `&a [*a]`, which js-yaml builds as a
 * circular object) or nesting past MAX_DEPTH is reported as such. On the way it counts the objects that
 * name another document (a `$ref` not starting with `#`, or an `externalValue`).
 */
function measureAliases(root: unknown): { verdict: 'ok' | 'bomb' | 'loop' | 'deep'; external: number } {
  let external = 0;
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  let added = 0;
  let verdict: 'ok' | 'bomb' | 'loop' | 'deep' = 'ok';
  const size = (node: unknown, depth: number): number => {
    if (node === null || typeof node !== 'object' || verdict !== 'ok') return 1;
    const known = sizes.get(node);
    if (known !== undefined) {
      added += known;
      if (added > MAX_ALIAS_EXPANSION) verdict = 'bomb';
      return known;
    }
    if (open.has(node)) verdict = 'loop';
    else if (depth > MAX_DEPTH) verdict = 'deep';
    if (verdict !== 'ok') return 1;
    open.add(node);
    const ref = (node as { $ref?: unknown }).$ref;
    if ((typeof ref === 'string' && !ref.startsWith('#')) || typeof (node as { externalValue?: unknown }).externalValue === 'string') external += 1;
    let total = 1;
    for (const child of Array.isArray(node) ? node : Object.values(node)) total += size(child, depth + 1);
    open.delete(node);
    sizes.set(node, total);
    return total;
  };
  size(root, 0);
  return { verdict, external };
}

/** Documents parsed here that name no other document, so resolving their references reads nothing. */
const selfContained = new WeakSet<object>();

/** True when parseDocument found no `$ref` (other than `#...`) and no `externalValue` in the document. */
export function isSelfContained(document: unknown): boolean {
  return typeof document === 'object' && document !== null && selfContained.has(document);
}

/**
 * Parses YAML or JSON (`json: true` for .json files) and refuses documents whose aliases expand past
 * MAX_ALIAS_EXPANSION nodes or loop, or that nest deeper than MAX_DEPTH. Throws DocumentParseError
 * with a one-line reason.
 */
export function parseDocument(text: string, options: { json: boolean }): unknown {
  let document: unknown;
  try {
    document = options.json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new DocumentParseError((error as Error).message.split('\n')[0] ?? 'unreadable');
  }
  if (document === null || typeof document !== 'object') return document;
  const { verdict, external } = measureAliases(document);
  if (verdict === 'deep') throw new DocumentParseError(`it nests deeper than ${MAX_DEPTH} levels`, 'Fix it: move nested schemas to components and $ref them.');
  if (verdict === 'loop') throw new DocumentParseError('a YAML alias refers to a node that contains it (a loop)', 'Fix it: remove that alias (*name).');
  if (verdict === 'bomb') {
    throw new DocumentParseError(
      `its YAML aliases expand it by over ${MAX_ALIAS_EXPANSION.toLocaleString('en')} nodes beyond what it spells out (an alias bomb)`,
      'Fix it: remove the aliases (*name) that repeat large nodes, or use $ref.',
    );
  }
  if (external === 0) selfContained.add(document);
  return document;
}
