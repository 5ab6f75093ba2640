import { afterAll, beforeAll, describe, it } from 'vitest';
import { resolveSuite, type SuiteOptions } from '../conformance/conformance-suite.js';
import { formatFailure } from '../conformance/format-failure.js';
import { type ConformanceOptions, type ConformanceSession, openConformanceSession } from '../conformance/run-conformance.js';
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

/**
 * Registers one vitest test per conformance check (skipped ones with their reason), sharing one session
 * so that checks can reuse a spent budget. Only this module imports vitest.
 */
export function describeRateLimitConformance(options: VitestConformanceOptions): void {
  const suite = resolveSuite(options);
  const windowMs = suite.policy.windowMs;
  const checkTimeoutMs = 3 * windowMs + 20_000;
  describe.sequential(options.name ?? `rate-limit conformance: ${suite.name}`, () => {
    let session: ConformanceSession | undefined;
    beforeAll(async () => {
      const target = isThunk(options.target) ? await options.target() : options.target;
      session = await openConformanceSession(suite, { ...options, target });
    }, 30_000);
    afterAll(async () => {
      await session?.close();
    });
    for (const check of suite.checks) {
      const reason = suite.skip.get(check.id);
      if (reason !== undefined) {
        it.skip(`${check.id}: ${check.title} (skipped: ${reason})`, () => undefined);
        continue;
      }
      it(
        `${check.id}: ${check.title}`,
        async (context) => {
          if (!session) throw conformanceError('The conformance session did not open; see the beforeAll error.');
          const result = await session.run(check);
          // A blocked check failed in a way an earlier failed check explains: that one fails the run.
          if (result.status === 'skipped' || result.status === 'blocked') context.skip(result.reason);
          if (result.status === 'failed') throw conformanceError(formatFailure(result));
        },
        checkTimeoutMs,
      );
    }
  });
}
