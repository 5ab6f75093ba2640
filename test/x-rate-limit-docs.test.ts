import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { findPolicyProblems } from '../src/core/parse-policy.js';
import { findOperationProblems, parseSpecPolicy } from '../src/openapi/spec-policy.js';

// Every x-rate-limit example in docs/x-rate-limit.md is a complete, valid policy (the page says so):
// a block with `paths` is read as a document, its operations' own x-rate-limit included.
const page = readFileSync(new URL('../docs/x-rate-limit.md', import.meta.url), 'utf8');
const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string).filter((text) => /^x-rate-limit:/m.test(text));

describe('docs/x-rate-limit.md', () => {
  it('has examples to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
  });

  it.each(blocks.map((text, i) => [i + 1, text]))('example %i is a valid policy', (_n, text) => {
    const doc = load(text as string) as Record<string, unknown>;
    expect(findPolicyProblems(doc['x-rate-limit'])).toEqual([]);
    const document = { openapi: '3.1.0', paths: {}, ...doc };
    expect(findOperationProblems(document)).toEqual([]);
    expect(parseSpecPolicy(document, 'docs/x-rate-limit.md').limits.length).toBeGreaterThan(0);
  });
});
