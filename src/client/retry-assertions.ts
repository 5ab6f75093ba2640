import type { RecordedAttempt } from './attempt.js';
import { formatRetryViolations, type ReportLimits, type RetryViolation } from './format-retry-report.js';
import { analyseRetries } from './retry-chains.js';
import { RETRY_CHECKS, type RetryCheck } from './retry-checks.js';
import { type RetryRulesInput, resolveRetryRules } from './retry-rules.js';

/**
 * Runs the retry checks the rules switch on over an attempt log and returns every violation (empty when
 * the client behaved). `rules`: `'authmatech'`, `'reconlayer'`, `'http'`, or a rule set (`retryRulesFor`).
 * @example expect(findRetryViolations(api.attempts, 'authmatech')).toEqual([]);
 */
export function findRetryViolations(
  attempts: readonly RecordedAttempt[],
  rules?: RetryRulesInput,
  checks: readonly RetryCheck[] = RETRY_CHECKS,
): RetryViolation[] {
  const resolved = resolveRetryRules(rules);
  const input = { attempts, rules: resolved, ...analyseRetries(attempts, resolved) };
  return checks
    .filter((check) => check.appliesTo(resolved))
    .flatMap((check) =>
      check.find(input).map((finding) => ({ check: check.id, clause: resolved.clauses[check.id] ?? check.source, fix: check.fix, ...finding })),
    );
}

/** The error `assertRetryLog` throws: the violations, readable, with the log (summarised) under them. */
export class RetryLogError extends Error {
  readonly code = 'ERR_RLC_RETRY_LOG';
  readonly violations: RetryViolation[];
  constructor(message: string, violations: RetryViolation[]) {
    super(message);
    this.name = 'RetryLogError';
    this.violations = violations;
  }
}

/**
 * Throws one readable error when the attempt log breaks a retry rule; usable from any test runner.
 * @example assertRetryLog(api.attempts, 'reconlayer');
 */
export function assertRetryLog(attempts: readonly RecordedAttempt[], rules?: RetryRulesInput, checks?: readonly RetryCheck[], limits?: ReportLimits): void {
  const violations = findRetryViolations(attempts, rules, checks);
  if (violations.length > 0) throw new RetryLogError(formatRetryViolations(violations, attempts, resolveRetryRules(rules).name, limits), violations);
}

export { formatRetryViolations, type ReportLimits, type RetryViolation };
