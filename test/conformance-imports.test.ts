import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { runNode } from './support/run-cli.js';

// vitest and supertest are optional: importing the package, /mock or /conformance, and running the suite
// against a URL, must never load them (nor ajv until a run starts). A resolve hook logs every module the
// built package loads, as a user's process would.

const scratch = mkdtempSync(join(tmpdir(), 'rlc-imports-'));
const log = join(scratch, 'loaded.txt');
const hooks = join(scratch, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}
`,
);
const script = `
const root = await import('ratelimit-contract');
await import('ratelimit-contract/mock');
const conformance = await import('ratelimit-contract/conformance');
const { appendFileSync } = await import('node:fs');
appendFileSync(${JSON.stringify(log)}, '--- imported\\n');
const mock = await root.startMockServer({ profile: 'authmatech', control: true, env: {}, limit: 2 });
const report = await conformance.runConformance({ profile: 'authmatech', target: mock.url, limit: 2 });
await mock.close();
console.log(JSON.stringify(report.summary));
`;

it('importing the package and running the suite against a URL loads neither vitest nor supertest', async () => {
  writeFileSync(log, '');
  const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`;
  const { code, stdout, stderr } = await runNode(['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', script], {
    cwd: join(import.meta.dirname, '..'),
    timeoutMs: 30_000,
  });
  expect(code, stderr).toBe(0);
  expect(JSON.parse(stdout)).toEqual({ passed: 10, failed: 0, skipped: 0, blocked: 0 });
  const [imported = '', ran = ''] = readFileSync(log, 'utf8').split('--- imported\n');
  expect(imported).toMatch(/dist\/conformance\/index\.js/);
  expect(imported).not.toMatch(/node_modules\/(vitest|@vitest|supertest|superagent|ajv)\//);
  expect(ran).not.toMatch(/node_modules\/(vitest|@vitest|supertest|superagent)\//);
});
