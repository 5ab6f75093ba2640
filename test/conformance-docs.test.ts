import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { authmatechChecks, reconlayerChecks, resolveSuite } from '../src/conformance/index.js';
import { BROKEN_VARIANTS } from './implementations/broken-variants.js';
import { POLICY_VARIANTS } from './implementations/policy-broken-variants.js';

// The docs show the example file that the tests run, verbatim, list every check id and every broken
// variant the tests prove caught, and every clause a check quotes is the vendor doc's own words.

const root = join(import.meta.dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const words = (text: string) => text.replace(/\s+/g, ' ').trim();

it('README and docs/verify.md show mocks/examples/verify-reconlayer.test.ts verbatim, and the CLI command', () => {
  const example = read('mocks/examples/verify-reconlayer.test.ts');
  for (const doc of ['README.md', 'docs/verify.md']) {
    expect(read(doc), doc).toContain(`\`\`\`ts\n${example}\`\`\``);
    expect(read(doc), doc).toContain('npx ratelimit-contract verify --profile reconlayer --target http://127.0.0.1:3001 --limit 5 --window 2s');
  }
  expect(read('README.md')).toMatch(/^## Verify your API in CI$/m);
});

it('docs/verify.md lists every check id', () => {
  const doc = read('docs/verify.md');
  for (const check of [...reconlayerChecks, ...authmatechChecks]) expect(doc).toContain(`| \`${check.id}\` |`);
});

it.for([
  ['reconlayer', reconlayerChecks, 'test/fixtures/vendor-docs/reconlayer-rate-limits.txt'],
  ['authmatech', authmatechChecks, 'test/fixtures/vendor-docs/authmatech-rate-limits.txt'],
] as const)('every %s clause quotes the vendor doc verbatim (fragments joined by " … ")', ([, checks, file]) => {
  const doc = words(read(file));
  for (const check of checks) for (const fragment of check.clause.split(' … ')) expect(doc, `${check.id}: "${fragment}"`).toContain(words(fragment));
});

it("docs/verify.md's tables of broken variants list every variant the tests run, with the check it fails", () => {
  const doc = read('docs/verify.md');
  for (const variant of [...BROKEN_VARIANTS, ...POLICY_VARIANTS])
    expect(doc).toContain(`| ${variant.name} | ${variant.fails.map((id) => `\`${id}\``).join(', ')} |`);
});

it('docs/verify.md lists every check a limit can get', () => {
  const doc = read('docs/verify.md');
  const ids = new Set(
    ['github-like', 'ietf-draft-12', 'llm-style'].flatMap((name) =>
      resolveSuite({ spec: join(root, 'openapi', 'examples', `${name}.yaml`), credentials: join(root, 'mocks', 'examples', `${name}.credentials.json`) })
        .checks.map((c) => c.id)
        .filter((id) => id.startsWith('spec/limits/'))
        .map((id) => id.replace(/^spec\/limits\/[^/]+\//, 'spec/limits/<name>/')),
    ),
  );
  expect(ids.size).toBe(7);
  for (const id of ids) expect(doc).toContain(`| \`${id}\` |`);
});
