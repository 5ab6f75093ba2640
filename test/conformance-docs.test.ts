import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { authmatechChecks, reconlayerChecks } from '../src/conformance/index.js';

// The docs show the example file that the tests run, verbatim, and list every check id.

const root = join(import.meta.dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

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
