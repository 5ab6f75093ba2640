import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { CheckResult } from '../conformance/conformance-check.js';
import { resolveSuite, type SuiteOptions } from '../conformance/conformance-suite.js';
import { formatFailure } from '../conformance/format-failure.js';
import { formatHtmlReport } from '../conformance/reporters/html.js';
import { type ConformanceOptions, type ConformanceSession, openConformanceSession, reportOf } from '../conformance/run-conformance.js';
import type { TargetInput } from '../conformance/targets/resolve-target.js';

/** Options of `describeRateLimitConformance`: the suite, and the server under test. */
export interface VitestConformanceOptions extends SuiteOptions, Pick<ConformanceOptions, 'clock' | 'controlToken' | 'requestTimeoutMs'> {
  /**
   * A base URL, an `http.Server`, a request listener such as an Express app, or a function of no
   * arguments that returns one of these (called in `beforeAll`, e.g. after your server has started).
   */
  target: TargetInput | (() => TargetInput | Promise<TargetInput>);
  /** The describe block's name; `rate-limit conformance: <profile or spec>` by default. */
  name?: string;
  /**
   * A file to write the HTML report to once the block's tests have run (as `verify --reporter html`
   * writes it), e.g. `'reports/rate-limit.html'`; its folder must exist.
   */
  htmlReport?: string;
}

const isThunk = (target: VitestConformanceOptions['target']): target is () => TargetInput | Promise<TargetInput> =>
  typeof target === 'function' && target.length === 0;

/** A thrown failure whose message is the whole report of the check, without our stack frames. */
function conformanceError(text: string): Error {
  const error = new Error(text);
  error.name = 'RateLimitConformanceFailure';
  error.stack = `${error.name}: ${text}`;
  return error;
}

/** Writes the HTML report of the checks that ran (in the suite's order; a check vitest filtered out is left out). */
function writeHtmlReport(file: string, session: ConformanceSession, checks: readonly { id: string }[], results: Map<string, CheckResult>, durationMs: number) {
  const ran = checks.flatMap((check) => results.get(check.id) ?? []);
  try {
    writeFileSync(file, formatHtmlReport(reportOf(session, ran, durationMs)));
  } catch (error) {
    throw conformanceError(
      `Failed to write the HTML report to ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Pass an htmlReport path in a folder that exists and is writable.`,
    );
  }
}

/**
 * Registers one vitest test per conformance check (skipped ones with their reason), sharing one session
 * so that checks can reuse a spent budget. Only this module imports vitest.
 */
export function describeRateLimitConformance(options: VitestConformanceOptions): void {
  const suite = resolveSuite(options);
  // Three windows of the longest limit (a per-limit run may wait out a shorter one several times).
  const checkTimeoutMs = 3 * suite.freshnessMs + 20_000;
  describe.sequential(options.name ?? `rate-limit conformance: ${suite.name}`, () => {
    let session: ConformanceSession | undefined;
    const results = new Map<string, CheckResult>();
    let startedAt = 0;
    beforeAll(async () => {
      startedAt = performance.now();
      const target = isThunk(options.target) ? await options.target() : options.target;
      session = await openConformanceSession(suite, { ...options, target });
    }, 30_000);
    afterAll(async () => {
      await session?.close();
      if (options.htmlReport !== undefined && session) writeHtmlReport(options.htmlReport, session, suite.checks, results, performance.now() - startedAt);
    });
    for (const check of suite.checks) {
      const reason = suite.skip.get(check.id);
      if (reason !== undefined) {
        it.skip(`${check.id}: ${check.title} (skipped: ${reason})`, () => undefined);
        results.set(check.id, { id: check.id, title: check.title, clause: check.clause, status: 'skipped', durationMs: 0, reason });
        continue;
      }
      it(
        `${check.id}: ${check.title}`,
        async (context) => {
          if (!session) throw conformanceError('The conformance session did not open; see the beforeAll error.');
          const result = await session.run(check);
          results.set(check.id, result);
          // A blocked check failed in a way an earlier failed check explains: that one fails the run.
          if (result.status === 'skipped' || result.status === 'blocked') context.skip(result.reason);
          if (result.status === 'failed') throw conformanceError(formatFailure(result));
        },
        checkTimeoutMs,
      );
    }
  });
}
