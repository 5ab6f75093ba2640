import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { RETRY_CHECKS } from '../src/client/index.js';
import config from '../vitest.config.js';

// The README embeds the example files verbatim; the suite runs those files, so the
// copy-pasteable examples in the docs cannot drift from code that passes.
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const guide = readFileSync(join(root, 'docs/client-testing.md'), 'utf8');

test.each(['mocks/examples/reconlayer-client.test.ts', 'mocks/examples/authmatech-client.test.ts', 'mocks/examples/real-client-retries.ts'])(
  'the docs show %s verbatim',
  (file) => {
    const source = readFileSync(join(root, file), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${source}\`\`\``);
  },
);

test('the test suite runs the examples', () => {
  expect(config.test?.include).toContain('mocks/examples/**/*.test.ts');
});

test.each(RETRY_CHECKS.map((check) => check.id))('%s is documented in the README and in docs/client-testing.md', (id) => {
  expect(readme).toContain(`| \`${id}\` |`);
  expect(guide).toContain(`| \`${id}\` |`);
});
