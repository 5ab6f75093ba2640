import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

// The README's MSW section shows the example file the suite runs, verbatim, so it cannot go stale.
const root = join(import.meta.dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

it('the README shows mocks/examples/authmatech-msw.test.ts verbatim, under "With MSW"', () => {
  const readme = read('README.md');
  expect(readme).toMatch(/^### With MSW$/m);
  expect(readme).toContain(`\`\`\`ts\n${read('mocks/examples/authmatech-msw.test.ts')}\`\`\``);
});
