import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatPrettyReport, resolveSuite, runConformance } from '../src/conformance/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { exampleSpec, limitNamed } from './support/example-spec.js';
import { runCliHere } from './support/run-cli.js';

// verify on the shipped examples (and the test fixtures with several limits) against our own mock, which
// implements each policy: every check derived from the policy passes, per limit, on the virtual clock. The
// checks that skip do so by design, each with its reason.

const root = join(import.meta.dirname, '..');
const example = (name: string) => ({
  spec: join(root, 'openapi', 'examples', `${name}.yaml`),
  credentials: join(root, 'mocks', 'examples', `${name}.credentials.json`),
});

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const cases: Array<[string, { spec: string; credentials?: string }, Record<string, RegExp>]> = [
  [
    'GitHub-like (core, search, a secondary limit with costs; epoch resets)',
    example('github-like'),
    {
      'spec/unresolved-keyed-by-ip': /fallbackLimit 10.*spec\/limits\/search\/fallback-limit/,
      'spec/limits/secondary/reports-deciding-limit': /report: false/,
    },
  ],
  ['IETF draft-12, two policies', example('ietf-draft-12'), { 'spec/outside-scope-not-limited': /no operation outside the limited scope/ }],
  [
    'LLM-style, requests and tokens (token buckets, duration resets)',
    example('llm-style'),
    {
      'spec/budget-shared-across-connections': /token bucket/,
    },
  ],
  ['two limits and an operation budget (test fixture)', { spec: join(root, 'test', 'fixtures', 'two-limits.yaml') }, {}],
  [
    'x-quota-* headers, no credentials file (test fixture)',
    { spec: join(root, 'test', 'fixtures', 'x-quota.yaml') },
    {
      'spec/other-key-untouched': /names no principal/,
      'spec/unresolved-keyed-by-ip': /cannot be told without a credentials file/,
    },
  ],
];

describe('verify against the mock serving each example', () => {
  it.for(cases)('%s: every check passes', { timeout: 60_000 }, async ([, files, skips]) => {
    mock = await startMockServer({ ...files, control: true, env: {} });
    const report = await runConformance({ ...files, target: mock.url });
    const shown = formatPrettyReport(report);
    expect(report.clock).toBe('virtual');
    expect(
      report.results.filter((r) => r.status === 'failed' || r.status === 'blocked'),
      shown,
    ).toEqual([]);
    const skipped = report.results.filter((r) => r.status === 'skipped' && !/leaves too little room beyond/.test(r.reason ?? ''));
    expect(skipped.map((r) => r.id).sort(), shown).toEqual(Object.keys(skips).sort());
    for (const r of skipped) expect(r.reason, shown).toMatch(skips[r.id] as RegExp);
  });
});

describe('the checks of each limit', () => {
  const ids = (files: { spec: string; credentials?: string }) => resolveSuite(files).checks.map((c) => c.id);

  it('are derived for every declared limit, at the root and on operations, with the checks its fields call for', () => {
    const github = ids(example('github-like'));
    for (const name of ['core', 'secondary', 'search'])
      for (const what of ['refused-when-spent', 'reports-deciding-limit', 'rejection-as-declared', 'remaining-spends-cost', 'headers-as-declared'])
        expect(github).toContain(`spec/limits/${name}/${what}`);
    // A fallbackLimit for unauthenticated callers; a limit that does not apply everywhere.
    expect(github).toEqual(expect.arrayContaining(['spec/limits/core/fallback-limit', 'spec/limits/search/fallback-limit']));
    expect(github).toEqual(expect.arrayContaining(['spec/limits/core/only-on-its-operations', 'spec/limits/search/only-on-its-operations']));
    expect(github).not.toContain('spec/limits/secondary/only-on-its-operations');
    // tokens applies to both operations (listing models costs 0 of it): no operation is outside it.
    expect(ids(example('llm-style')).filter((id) => id.startsWith('spec/limits/tokens/'))).toHaveLength(5);
  });

  it('quote the spec field they enforce, with the file and its JSON pointer', () => {
    const files = example('github-like');
    const checks = resolveSuite(files).checks;
    const clause = (id: string) => checks.find((c) => c.id === id)?.clause ?? '';
    expect(clause('spec/limits/secondary/refused-when-spent')).toContain(`${files.spec}#/x-rate-limit/limits/1: {"name":"secondary","limit":900`);
    expect(clause('spec/limits/secondary/refused-when-spent')).toContain(
      `${files.spec}#/paths/~1repos~1{owner}~1{repo}~1issues/post/x-rate-limit/limits/0/cost: 5`,
    );
    expect(clause('spec/limits/search/only-on-its-operations')).toContain(`${files.spec}#/paths/~1search~1repositories/get/x-rate-limit/limits/0:`);
    expect(clause('spec/limits/core/headers-as-declared')).toContain(`${files.spec}#/x-rate-limit/headers: {"limit":"x-ratelimit-limit"`);
    expect(clause('spec/limits/core/fallback-limit')).toBe(`${files.spec}#/x-rate-limit/limits/0/fallbackLimit: 60`);
  });

  it('leave the embedded profiles exactly as they were (their own checks, no per-limit ones)', () => {
    for (const profile of ['reconlayer', 'authmatech']) expect(resolveSuite({ profile }).checks.some((c) => c.id.startsWith('spec/'))).toBe(false);
  });
});

// The commands the docs show run verbatim against the mock (the target replaced by the mock's URL).
const docLine = (doc: string, command: string): string[] => {
  const found = readFileSync(join(root, doc), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`npx ratelimit-contract ${command} --spec openapi/examples/`));
  if (!found) throw new Error(`no ${command} line in ${doc}`);
  return found.replace(/ &$/, '').split(' ').slice(2);
};
const flag = (args: string[], name: string) => join(root, args[args.indexOf(name) + 1] as string);

it.for([
  ['docs/verify.md', 'spec/limits/daily/refused-when-spent'],
  ['README.md', 'spec/limits/secondary/refused-when-spent'],
] as const)('%s: its verify command passes against the mock serving the example', { timeout: 60_000 }, async ([doc, shown]) => {
  const args = docLine(doc, 'verify');
  mock = await startMockServer({ spec: flag(args, '--spec'), credentials: flag(args, '--credentials'), control: true, env: {} });
  const result = await runCliHere(
    args.map((arg) => (arg === 'http://127.0.0.1:3001' ? (mock?.url as string) : /^(openapi|mocks)\//.test(arg) ? join(root, arg) : arg)),
  );
  expect(result.stdout, result.stderr).toMatch(/checks: \d+ passed, 0 failed/);
  expect(result.stdout).toContain(shown);
  expect(result.code).toBe(0);
});

it("docs/verify.md's mock command serves the spec its verify command checks", () => {
  const mockArgs = docLine('docs/verify.md', 'mock');
  const verifyArgs = docLine('docs/verify.md', 'verify');
  expect(flag(mockArgs, '--spec')).toBe(flag(verifyArgs, '--spec'));
  expect(flag(mockArgs, '--credentials')).toBe(flag(verifyArgs, '--credentials'));
  expect(mockArgs).toEqual(expect.arrayContaining(['--control', '--port', '3001']));
});

it('against a real clock, a limit that would take minutes to spend, or a budget fresh only in an hour, skips, saying why', { timeout: 60_000 }, async () => {
  const spec = exampleSpec('ietf-draft-12', (rateLimit) => {
    Object.assign(limitNamed(rateLimit, 'burst'), { limit: 1, window: '1s' });
    Object.assign(limitNamed(rateLimit, 'daily'), { limit: 200, window: '1 hour' });
  });
  const files = { spec, credentials: example('ietf-draft-12').credentials };
  mock = await startMockServer({ ...files, control: true, env: {} });
  const report = await runConformance({ ...files, target: mock.url, clock: 'real' });
  const daily = report.results.filter((r) => r.id.startsWith('spec/limits/daily/'));
  expect(daily.map((r) => r.status)).toEqual(daily.map(() => 'skipped'));
  expect(daily[0]?.reason).toMatch(
    /^spending daily on GET \/v1\/products takes about 3 minutes of real time \(201 requests, waiting out the other limits' windows\)/,
  );
  expect(
    report.results.filter((r) => r.status === 'failed'),
    formatPrettyReport(report),
  ).toEqual([]);
});
