import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LintProblem, lintSpec } from '../src/openapi/lint-spec.js';
import { loadSpec } from '../src/openapi/load-spec.js';

// lint on policies with several limits, operation policies and header styles: each rule per limit, each
// header declaration per style, a bad field named with its JSON pointer. Variants of the examples, each
// switching one thing off.

// biome-ignore lint/suspicious/noExplicitAny: variants reach anywhere into a parsed document.
type Doc = any;
const dir = mkdtempSync(join(tmpdir(), 'rlc-lint-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
async function lintVariant(file: string, modify: (doc: Doc) => void): Promise<LintProblem[]> {
  const doc = structuredClone(loadSpec(file).document) as Doc;
  modify(doc);
  const out = join(dir, `variant-${++count}.json`);
  writeFileSync(out, JSON.stringify(doc, null, 2));
  return lintSpec(out);
}
const GITHUB = 'openapi/examples/github-like.yaml';
const DRAFT_12 = 'openapi/examples/ietf-draft-12.yaml';
const LLM = 'openapi/examples/llm-style.yaml';
const brief = (problems: LintProblem[]) => problems.map((p) => `${p.rule} ${p.pointer}`);

describe('lint on several limits', () => {
  it.each([GITHUB, DRAFT_12, LLM])('%s is clean', async (file) => {
    expect(await lintSpec(file)).toEqual([]);
  });

  it("a missing 403 of GitHub's secondary limit is named with the limit", async () => {
    const problems = await lintVariant(GITHUB, (doc) => delete doc.paths['/user'].get.responses['403']);
    expect(brief(problems)).toEqual(['x-rate-limit/rejection-response /paths/~1user/get/responses']);
    expect(problems[0]?.message).toMatch(/declares no 403 response \(the rejection of secondary\)/);
  });

  it('draft-12: a 2xx without RateLimit-Policy is told which style asks for it', async () => {
    const problems = await lintVariant(DRAFT_12, (doc) => delete doc.paths['/v1/products'].get.responses['200'].headers['RateLimit-Policy']);
    // The example shares one headers object between its 2xx responses (a YAML anchor): both lose it.
    expect(brief(problems)).toEqual([
      'x-rate-limit/success-headers /paths/~1v1~1products/get/responses/200',
      'x-rate-limit/success-headers /paths/~1v1~1products~1{sku}/get/responses/200',
    ]);
    expect(problems[0]?.message).toMatch(/ratelimit-policy \(headers\.style draft-12\)/);
  });

  it("a limit's own header names are asked for, named with the limit", async () => {
    const problems = await lintVariant(LLM, (doc) => delete doc.components.responses.RateLimited.headers['x-ratelimit-reset-tokens']);
    expect(problems.map((p) => p.rule)).toEqual(['x-rate-limit/rejection-headers', 'x-rate-limit/rejection-headers']);
    expect(problems[0]?.message).toMatch(/x-ratelimit-reset-tokens \(limit tokens: headers\.reset\)/);
  });

  it('a cost read from a body the operation does not have', async () => {
    const problems = await lintVariant(LLM, (doc) => delete doc.paths['/v1/models'].get['x-rate-limit']);
    expect(brief(problems)).toEqual(['x-rate-limit/cost-source /paths/~1v1~1models/get']);
    expect(problems[0]?.message).toMatch(/declares no request body, but the limit tokens reads its cost from the body at \/max_tokens/);
  });

  it('an operation policy on an exempt path never applies', async () => {
    const problems = await lintVariant(GITHUB, (doc) => (doc.paths['/rate_limit'].get['x-rate-limit'] = { cost: 2 }));
    expect(brief(problems)).toEqual(['x-rate-limit/operation-scope /paths/~1rate_limit/get/x-rate-limit']);
  });

  it('bad fields are named with their JSON pointers: in a limit, in an operation, and a header the style does not send', async () => {
    const problems = await lintVariant(GITHUB, (doc) => {
      doc['x-rate-limit'].limits[1].window = '0s';
      doc.paths['/search/repositories'].get['x-rate-limit'].limits[0].burst = 5;
      doc['x-rate-limit'].limits.push({ name: 'core', limit: 1, window: '1s' });
    });
    expect(problems.filter((p) => p.rule === 'x-rate-limit/schema').map((p) => [p.pointer, p.message])).toEqual([
      [
        '/x-rate-limit/limits/1/window',
        'x-rate-limit/limits/1/window "0s" must be positive (use a positive number with a unit, such as 10s, 1m, "1 minute" or 1500ms)',
      ],
      ['/x-rate-limit/limits/2/name', 'x-rate-limit/limits/2/name "core" names two limits; give each a name of its own'],
      ['/paths/~1search~1repositories/get/x-rate-limit/limits/0', 'paths/~1search~1repositories/get/x-rate-limit/limits/0 has an unknown field "burst"'],
    ]);
    const named = await lintVariant(DRAFT_12, (doc) => (doc['x-rate-limit'].headers.remaining = 'x-remaining'));
    expect(named[0]?.message).toMatch(/headers\/remaining is a named header, but style draft-12 writes the draft's fields/);
    const twice = await lintVariant(DRAFT_12, (doc) => (doc['x-rate-limit'].limits[1].name = 'burst'));
    expect(twice[0]?.message).toMatch(/limits\/1\/name "burst" names two limits/);
  });
});
