import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureCjsBuild, ROOT, type RunResult, runBounded, scratchProject } from './support/scratch-project.js';

// The copyable examples for every test runner, run as a user runs them: real Jest 30 (its default CommonJS
// setup, and ESM mode) and `node --test` (node:test's mock timers, and @sinonjs/fake-timers), each in a
// fresh project in the temp folder that has ratelimit-contract in node_modules. (The vitest examples run
// in this suite directly: mocks/examples/*.test.ts.) Each run is bounded; the projects are removed.
const JEST_FLAGS = ['--ci', '--runInBand', '--no-watchman', '--json', '--outputFile=jest-result.json'];
const jestArgs = (dir: string) => [join(dir, 'node_modules', 'jest', 'bin', 'jest.js'), ...JEST_FLAGS];
const SUBPATHS = ['client', 'nock', 'msw', 'mock'] as const;
const projects: Array<{ remove(): void }> = [];
const runs = new Map<string, Promise<RunResult & { dir: string }>>();

/** Names each CommonJS subpath must export: the ES module's. */
async function exportNames(): Promise<Record<string, string[]>> {
  const names: Record<string, string[]> = {};
  for (const subpath of SUBPATHS) names[subpath] = Object.keys(await import(join(ROOT, 'dist', subpath, 'index.js'))).sort();
  return names;
}

// Every CommonJS subpath under Jest's own require: the ES build's export names, and the mock serves. msw
// 2.15 itself does not load under Jest's CommonJS loader (it requires rettime, an ES module): where
// require('msw') fails, ratelimit-contract/msw must fail with msw's own error, and nothing else.
const SUBPATHS_TEST = `const expected = require('./expected-exports.json');
let mswError;
try {
  require('msw');
} catch (error) {
  mswError = error.message;
}
test.each(Object.keys(expected))('require("ratelimit-contract/%s") loads under Jest', (subpath) => {
  if (subpath === 'msw' && mswError) {
    expect(() => require('ratelimit-contract/msw')).toThrow(mswError);
    return;
  }
  const names = Object.keys(require(\`ratelimit-contract/\${subpath}\`)).filter((n) => n !== 'default' && n !== '__esModule');
  expect(names.sort()).toEqual(expected[subpath]);
});
test('the mock starts and answers from the CommonJS build', async () => {
  const { startMockServer } = require('ratelimit-contract/mock');
  const mock = await startMockServer({ profile: 'reconlayer', limit: 1 });
  const headers = { authorization: 'Bearer rl_test_acme_primary' };
  const statuses = [];
  for (let i = 0; i < 2; i += 1) statuses.push((await fetch(mock.url + '/v1/payment-intents', { headers })).status);
  await mock.close();
  expect(statuses).toEqual([200, 429]);
});
`;

// One runner at a time: each starts a whole test runner, and the rest of the suite runs beside this file.
let previous: Promise<unknown> = Promise.resolve();
function start(label: string, setup: () => Promise<{ dir: string; command: string; args: string[]; env?: NodeJS.ProcessEnv }>) {
  const run = previous
    .catch(() => undefined)
    .then(setup)
    .then(async ({ dir, command, args, env }) => ({ dir, ...(await runBounded(command, args, { cwd: dir, env, timeoutMs: 150_000 })) }));
  previous = run;
  runs.set(label, run);
}

beforeAll(async () => {
  await ensureCjsBuild();
  const expected = await exportNames();
  start('jest-cjs', async () => {
    const project = scratchProject({ packages: ['jest', 'nock', 'msw'], files: ['mocks/examples/jest/reconlayer-client.cjs.test.js'] });
    projects.push(project);
    writeFileSync(join(project.dir, 'expected-exports.json'), JSON.stringify(expected));
    writeFileSync(join(project.dir, 'subpaths.test.js'), SUBPATHS_TEST);
    return { dir: project.dir, command: process.execPath, args: jestArgs(project.dir) };
  });
  start('jest-esm', async () => {
    const project = scratchProject({
      type: 'module',
      packages: ['jest', 'nock', '@jest/globals'],
      files: ['mocks/examples/jest/authmatech-client.esm.test.mjs'],
    });
    projects.push(project);
    return {
      dir: project.dir,
      command: process.execPath,
      args: jestArgs(project.dir),
      env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules' },
    };
  });
  start('node-test', async () => {
    const files = ['mocks/examples/node-test/reconlayer-client.test.mjs', 'mocks/examples/node-test/authmatech-sinon.test.mjs'];
    const project = scratchProject({ packages: ['nock', '@sinonjs/fake-timers'], files });
    projects.push(project);
    return { dir: project.dir, command: process.execPath, args: ['--test', '--test-reporter=tap', 'reconlayer-client.test.mjs', 'authmatech-sinon.test.mjs'] };
  });
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(runs.values());
  for (const project of projects) project.remove();
});

interface JestResult {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  testResults: Array<{ name: string; status: string; message: string }>;
}
async function jestResult(label: string): Promise<JestResult & { output: string }> {
  const run = await (runs.get(label) as Promise<RunResult & { dir: string }>);
  let result: JestResult;
  try {
    result = JSON.parse(readFileSync(join(run.dir, 'jest-result.json'), 'utf8'));
  } catch {
    throw new Error(`Jest wrote no result (exit ${run.code}):\n${run.output}`);
  }
  return { ...result, output: run.output };
}

describe('Jest 30, spawned in a fresh project', () => {
  test('the default CommonJS setup: require() gets the CommonJS build, the example passes, every subpath loads', { timeout: 180_000 }, async () => {
    const result = await jestResult('jest-cjs');
    expect(result.testResults.map((r) => r.message).filter(Boolean)).toEqual([]);
    expect([result.success, result.numFailedTests, result.numPassedTests]).toEqual([true, 0, 2 + SUBPATHS.length + 1]);
    expect(result.output).not.toMatch(/Must use import to load ES Module/);
  });

  test('ESM mode (--experimental-vm-modules): import gets the ES build, the example passes', { timeout: 180_000 }, async () => {
    const result = await jestResult('jest-esm');
    expect(result.testResults.map((r) => r.message).filter(Boolean)).toEqual([]);
    expect([result.success, result.numFailedTests, result.numPassedTests]).toEqual([true, 0, 2]);
  });
});

describe('node --test, spawned in a fresh project', () => {
  test("both examples pass: node:test's mock timers (nodeTestTimers) and @sinonjs/fake-timers (sinonTimers)", { timeout: 180_000 }, async () => {
    const run = await (runs.get('node-test') as Promise<RunResult>);
    expect(run.output, run.output).toMatch(/^# pass 4$/m);
    expect(run.output).toMatch(/^# fail 0$/m);
    expect(run.code).toBe(0);
  });
});
