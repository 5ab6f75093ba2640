import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSpecReport } from '../src/openapi/lint-spec.js';
import { loadSpec } from '../src/openapi/load-spec.js';
import { CLI, runNode } from './support/run-cli.js';

// `lint` as a team with its own Redocly rules runs it in CI: the project's redocly.yaml (or --config),
// severities, exit 1 on errors only (--max-warnings to tighten), and one run that shows schema and
// contract problems together, worded so that nobody has to read a regex.

const dir = mkdtempSync(join(tmpdir(), 'rlc-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: the tests edit deep copies of the shipped spec by path.
type Doc = Record<string, any>;
let count = 0;
function variant(modify: (doc: Doc) => void): string {
  const doc = structuredClone(loadSpec(join(import.meta.dirname, '..', 'openapi', 'authmatech.yaml')).document) as Doc;
  modify(doc);
  const file = join(dir, `api-${++count}.json`);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}
const noLicense = (doc: Doc) => delete doc.info.license;
const lint = (args: string[], cwd = dir) => runNode([CLI, 'lint', ...args], { cwd, timeoutMs: 30_000 });

describe('lint exit codes and severities', () => {
  it('a Redocly warning (info-license) is shown as a warning and does not fail the run', async () => {
    const result = await lint([variant(noLicense)]);
    expect(result.stdout).toMatch(/#\/info {2}warn {3}Info object should contain `license` field\. {2}\[info-license\]/);
    expect(result.stdout).toMatch(/0 errors, 1 warning \(rules: Redocly's recommended \+ x-rate-limit\)/);
    expect(result.code).toBe(0);
  });

  it('--max-warnings 0 fails on that warning; --max-warnings 1 does not', async () => {
    const file = variant(noLicense);
    expect((await lint([file, '--max-warnings', '0'])).code).toBe(1);
    expect((await lint([file, '--max-warnings', '1'])).code).toBe(0);
    const bad = await lint([file, '--max-warnings', 'some']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-warnings: "some" is not a whole number/);
  });

  it('an error fails the run and is marked as one', async () => {
    const result = await lint([variant((doc) => delete doc.paths['/health'].get.summary)]);
    expect(result.stdout).toMatch(/error {2}Operation object should contain `summary` field\. {2}\[operation-summary\]/);
    expect(result.code).toBe(1);
  });
});

describe('--format json', () => {
  it('prints the report: problems with their severity, counts, the config, the rules not checked', async () => {
    const file = variant(noLicense);
    const result = await lint([file, '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      file,
      config: 'recommended',
      problems: [{ file, pointer: '/info', message: 'Info object should contain `license` field.', rule: 'info-license', severity: 'warn' }],
      notChecked: [],
      errors: 0,
      warnings: 1,
    });
  });
});

describe("the project's Redocly config", () => {
  it('reads redocly.yaml from the current directory: its rules turn info-license off and make x-rate-limit rules warnings', async () => {
    const project = mkdtempSync(join(dir, 'project-'));
    writeFileSync(join(project, 'redocly.yaml'), 'extends:\n  - recommended\nrules:\n  info-license: off\n  x-rate-limit/rejection-response: warn\n');
    const file = variant((doc) => {
      noLicense(doc);
      delete doc.paths['/v1/api/identity/verify'].post.responses['429'];
    });
    const result = await lint([file], project);
    expect(result.stdout).not.toContain('info-license');
    expect(result.stdout).toMatch(
      /warn {3}POST \/v1\/api\/identity\/verify is rate limited but declares no 429 response.*\[x-rate-limit\/rejection-response\]/,
    );
    expect(result.stdout).toMatch(/0 errors, 1 warning \(rules: redocly\.yaml \+ x-rate-limit\)/);
    expect(result.code).toBe(0);
  });

  it('--config <file> names another config; a missing one is a usage error that names the flag', async () => {
    const config = join(dir, 'team-rules.yaml');
    writeFileSync(config, 'extends:\n  - recommended\nrules:\n  info-license: error\n');
    const result = await lint([variant(noLicense), '--config', config]);
    expect(result.stdout).toMatch(/error {2}Info object should contain `license` field/);
    expect(result.code).toBe(1);
    const missing = await lint([variant(noLicense), '--config', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(
      "ratelimit-contract: Failed to read the Redocly config nope.yaml: no such file. Pass --config with the path of a redocly.yaml, or leave it out to use redocly.yaml in the current directory (else Redocly's recommended rules).",
    );
  });

  it('an x-rate-limit rule set to off is not run', async () => {
    const config = join(dir, 'off.yaml');
    writeFileSync(config, 'extends:\n  - recommended\nrules:\n  x-rate-limit/rejection-response: off\n');
    const file = variant((doc) => delete doc.paths['/v1/api/identity/verify'].post.responses['429']);
    const report = await lintSpecReport(file, { config });
    expect(report.problems).toEqual([]);
  });
});

describe('messages a first-time user can act on', () => {
  it('lint nope.yaml speaks of the file to lint, not of --spec', async () => {
    const result = await lint(['nope.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'ratelimit-contract: Failed to lint nope.yaml: no such file. Pass the path of an OpenAPI 3.x YAML or JSON file, e.g. `ratelimit-contract lint openapi/my-api.yaml`.',
    );
    expect(result.stderr).not.toContain('--spec');
  });

  it('an upper-case header name says "must be lower case", not a regex', async () => {
    const report = await lintSpecReport(
      variant((doc) => {
        doc['x-rate-limit'].headers = { limit: 'X-RateLimit-Limit', remaining: 'x ratelimit remaining' };
      }),
    );
    const messages = report.problems.filter((p) => p.rule === 'x-rate-limit/schema').map((p) => p.message);
    expect(messages).toContain('x-rate-limit/headers/limit "X-RateLimit-Limit" must be lower case: write "x-ratelimit-limit"');
    expect(messages).toContain(
      'x-rate-limit/headers/remaining "x ratelimit remaining" is not a header name: use lower-case letters, digits and - (e.g. "x-ratelimit-remaining")',
    );
    expect(messages.join('\n')).not.toMatch(/pattern|\^\[/);
  });

  it.each<[string, unknown, string]>([
    ['0s', '0s', 'x-rate-limit/window "0s" must be positive (use a positive number with a unit, such as 10s, 1m, "1 minute" or 1500ms)'],
    ['0', 0, 'x-rate-limit/window 0 must be positive (a duration such as 10s, 1m, "1 minute", or a whole number of milliseconds)'],
    [
      '"1 fortnight"',
      '1 fortnight',
      'x-rate-limit/window "1 fortnight" is not a duration: "fortnight" is not a unit (use ms, s, m, h or d, such as 10s, 1m, "1 minute" or 1500ms)',
    ],
  ])('window %s gets one message that says what to write', async (_name, window, message) => {
    const report = await lintSpecReport(variant((doc) => (doc['x-rate-limit'].window = window)));
    expect(report.problems.map((p) => p.message)).toEqual([message]);
  });
});

describe('one run shows schema and contract problems together', () => {
  it('a broken window and a missing 429 are both reported', async () => {
    const report = await lintSpecReport(
      variant((doc) => {
        doc['x-rate-limit'].window = '0s';
        delete doc.paths['/v1/api/identity/verify'].post.responses['429'];
      }),
    );
    expect(report.problems.map((p) => p.rule)).toEqual(['x-rate-limit/schema', 'x-rate-limit/rejection-response']);
    expect(report.notChecked).toEqual([]);
  });

  it('an upper-case header name still lets the header rules run (on the lower-cased name)', async () => {
    const report = await lintSpecReport(
      variant((doc) => {
        doc['x-rate-limit'].headers = { limit: 'X-RateLimit-Limit' };
      }),
    );
    // Authmatech declares no rate-limit headers, so a policy that sends one makes its responses incomplete.
    expect(report.problems.map((p) => p.rule)).toEqual(expect.arrayContaining(['x-rate-limit/schema', 'x-rate-limit/success-headers']));
    expect(report.notChecked).toEqual([]);
  });

  it('rules that read a broken part are listed as not checked, the others still run', async () => {
    const report = await lintSpecReport(
      variant((doc) => {
        doc['x-rate-limit'].rejection.status = 99;
        // A policy header the responses do not declare: the header rules, which do not read rejection, still say so.
        doc['x-rate-limit'].headers = { limit: 'x-ratelimit-limit' };
      }),
    );
    expect(new Set(report.problems.map((p) => p.rule))).toEqual(new Set(['x-rate-limit/schema', 'x-rate-limit/success-headers']));
    expect(report.notChecked.map((n) => n.rule)).toEqual([
      'x-rate-limit/rejection-response',
      'x-rate-limit/rejection-content-type',
      'x-rate-limit/rejection-example',
      'x-rate-limit/rejection-headers',
      'x-rate-limit/exempt-rejection',
    ]);
    expect(report.notChecked[0]?.reason).toBe('fix /x-rate-limit/rejection first');
    const pretty = await lint([variant((doc) => (doc['x-rate-limit'].rejection.status = 99))]);
    expect(pretty.stdout).toMatch(/not checked yet \(fix \/x-rate-limit\/rejection first\): x-rate-limit\/rejection-response, /);
  });
});
