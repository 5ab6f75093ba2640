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

test.each(['mocks/examples/jest/reconlayer-client.cjs.test.js', 'mocks/examples/node-test/reconlayer-client.test.mjs'])(
  'docs/client-testing.md shows %s verbatim (test/test-runners.test.ts runs it)',
  (file) => {
    expect(guide).toContain(`\`\`\`js\n${readFileSync(join(root, file), 'utf8')}\`\`\``);
  },
);

test('the README shows the Python client verbatim (test/python-clients.test.ts runs it)', () => {
  expect(readme).toMatch(/^### Clients in other languages$/m);
  expect(readme).toContain(`\`\`\`python\n${readFileSync(join(root, 'mocks/examples/python/reconlayer_requests.py'), 'utf8')}\`\`\``);
});

test('the test suite runs the examples', () => {
  expect(config.test?.include).toContain('mocks/examples/**/*.test.ts');
});

test.each(RETRY_CHECKS.map((check) => check.id))('%s is documented in the README and in docs/client-testing.md', (id) => {
  expect(readme).toContain(`| \`${id}\` |`);
  expect(guide).toContain(`| \`${id}\` |`);
});
