import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';

type Node = Record<string, unknown>;

/**
 * A copy of one of openapi/examples/ with its x-rate-limit edited (short windows for a real server, the
 * stacking its middlewares have), written to a temporary file: a reference server is configured per the
 * example, and the suite holds it to the example with those edits only.
 */
export function exampleSpec(example: 'github-like' | 'ietf-draft-12' | 'llm-style', edit: (root: Node, document: Node) => void): string {
  const document = load(readFileSync(join(import.meta.dirname, '..', '..', 'openapi', 'examples', `${example}.yaml`), 'utf8')) as Node;
  edit(document['x-rate-limit'] as Node, document);
  const file = join(mkdtempSync(join(tmpdir(), 'rlc-example-')), `${example}.yaml`);
  writeFileSync(file, dump(document, { lineWidth: 120 }));
  return file;
}

/** The limit named `name` of an x-rate-limit's `limits`. */
export function limitNamed(root: Node, name: string): Node {
  const found = (root.limits as Node[]).find((l) => l.name === name);
  if (!found) throw new Error(`no limit named ${name}`);
  return found;
}
