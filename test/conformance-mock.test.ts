import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatPrettyReport, runConformance } from '../src/conformance/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { profileFiles } from '../src/openapi/profiles.js';
import { rawRequest } from './support/raw-request.js';

// The suite against our own mock, which must pass every check. With --control the suite drives the mock's
// virtual clock, so windows pass without waiting.

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const failures = (report: Awaited<ReturnType<typeof runConformance>>) => report.results.filter((r) => r.status === 'failed');

describe('the suite against the mock (virtual clock)', () => {
  it('passes every ReconLayer check at the documented 300 per minute, and gives the clock back', async () => {
    mock = await startMockServer({ profile: 'reconlayer', control: true, env: {} });
    const report = await runConformance({ profile: 'reconlayer', target: mock.url });
    expect(failures(report), formatPrettyReport(report)).toEqual([]);
    expect(report.clock).toBe('virtual');
    expect(report.results.filter((r) => r.status === 'skipped').map((r) => [r.id, r.reason])).toEqual([
      ['reconlayer/env-overrides-reflected', expect.stringMatching(/no RATE_LIMIT_MAX\/RATE_LIMIT_WINDOW values were declared/)],
    ]);
    expect((await rawRequest(mock.url, { path: '/__ratelimit/clock' })).json).toMatchObject({ mode: 'real' });
  });

  it('passes every ReconLayer check with RATE_LIMIT_MAX=5 and RATE_LIMIT_WINDOW=2s declared', async () => {
    mock = await startMockServer({ profile: 'reconlayer', control: true, env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW: '2s' } });
    const report = await runConformance({ profile: 'reconlayer', target: mock.url, limit: 5, window: '2s' });
    expect(report.summary, formatPrettyReport(report)).toEqual({ passed: 21, failed: 0, skipped: 0, blocked: 0 });
  });

  it('passes every Authmatech check at the documented 1000 per minute', async () => {
    mock = await startMockServer({ profile: 'authmatech', control: true, env: {} });
    const report = await runConformance({ profile: 'authmatech', target: mock.url });
    expect(report.summary, formatPrettyReport(report)).toEqual({ passed: 10, failed: 0, skipped: 0, blocked: 0 });
  });

  it('catches a mock started with another limit than the one declared, and says which to pass', async () => {
    mock = await startMockServer({ profile: 'reconlayer', control: true, env: {}, limit: 4 });
    const report = await runConformance({ profile: 'reconlayer', target: mock.url, limit: 5 });
    const exact = report.results.find((r) => r.id === 'reconlayer/429-after-exactly-max');
    expect(exact?.status).toBe('failed');
    expect(exact?.failure?.summary).toMatch(
      /rejected request 5 of a fresh window.*off by one.*announces x-ratelimit-limit: 4; if that is the limit it runs with, pass \{ limit: 4 \}/,
    );
  });

  it('runs the generic checks of a spec that is not an embedded profile (ids spec/…)', async () => {
    const spec = join(mkdtempSync(join(tmpdir(), 'rlc-spec-')), 'my-api.yaml');
    copyFileSync(profileFiles('reconlayer').spec, spec);
    const credentials = profileFiles('reconlayer').credentials;
    mock = await startMockServer({ spec, credentials, control: true, env: {}, limit: 5, window: '2s' });
    const report = await runConformance({ spec, credentials, target: mock.url, limit: 5, window: '2s' });
    expect(report.suite).toBe(spec);
    expect(report.results.every((r) => r.id.startsWith('spec/'))).toBe(true);
    expect(report.results.map((r) => r.id)).toContain('spec/bypass-probes-stay-limited');
    expect(failures(report), formatPrettyReport(report)).toEqual([]);
  }, 30_000);

  it('without a credentials file, runs the key-agnostic checks as anonymous callers and skips the rest, saying why', async () => {
    const spec = join(mkdtempSync(join(tmpdir(), 'rlc-spec-')), 'no-keys.yaml');
    copyFileSync(profileFiles('reconlayer').spec, spec);
    mock = await startMockServer({ spec, control: true, env: {}, limit: 3, window: '1s' });
    const report = await runConformance({ spec, target: mock.url, limit: 3, window: '1s' });
    expect(failures(report), formatPrettyReport(report)).toEqual([]);
    expect(report.results.filter((r) => r.status === 'skipped').map((r) => [r.id, r.reason])).toEqual([
      ['spec/other-key-untouched', expect.stringMatching(/^the credentials file names no principal .*pass the credentials option/)],
      ['spec/credentials-share-budget', expect.stringMatching(/no organization with two credentials/)],
    ]);
  }, 30_000);

  it('a spec keyed by a header, without a credentials file: our mock passes our suite, and the unknown-key step skips with its reason', async () => {
    const spec = join(mkdtempSync(join(tmpdir(), 'rlc-spec-')), 'by-header.yaml');
    copyFileSync(profileFiles('authmatech').spec, spec);
    mock = await startMockServer({ spec, control: true, env: {}, limit: 3, window: '1s' });
    const report = await runConformance({ spec, target: mock.url, limit: 3, window: '1s' });
    expect(failures(report), formatPrettyReport(report)).toEqual([]);
    expect(report.summary.blocked).toBe(0);
    expect(report.results.filter((r) => r.status === 'skipped').map((r) => [r.id, r.reason])).toEqual([
      ['spec/other-key-untouched', expect.stringMatching(/^the credentials file names no principal \(credentials with the x-client-id header/)],
      [
        'spec/unresolved-keyed-by-ip',
        expect.stringMatching(
          /^requests without x-client-id are limited per IP \(checked\), but whether an unknown x-client-id mints a budget cannot be told without a credentials file/,
        ),
      ],
    ]);
  }, 30_000);

  it('keeps real time when asked to, against the same mock', async () => {
    mock = await startMockServer({ profile: 'authmatech', control: true, env: {}, limit: 2, window: 1000 });
    const report = await runConformance({ profile: 'authmatech', target: mock.url, limit: 2, window: 1000, clock: 'real' });
    expect(report.clock).toBe('real');
    expect(report.summary, formatPrettyReport(report)).toEqual({ passed: 10, failed: 0, skipped: 0, blocked: 0 });
  });
});
