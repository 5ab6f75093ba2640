import { formatAttempts, type RecordedAttempt } from './attempt.js';
import { groupRetryChains } from './retry-chains.js';
import { RETRY_CHECKS, type RetryCheck } from './retry-checks.js';
import { RECONLAYER_RETRY_RULES, type RetryRules, retryRulesFor } from './retry-rules.js';

/** One broken rule: which check, the doc clause, what happened, and the attempts that show it. */
export interface RetryViolation {
  check: string;
  clause: string;
  message: string;
  seqs: number[];
}

/** Rules by profile name, or numbers (missing ones taken from ReconLayer's rules). */
export type RetryRulesInput = 'authmatech' | 'reconlayer' | Partial<RetryRules>;

const resolveRules = (input: RetryRulesInput | undefined): RetryRules =>
  typeof input === 'string' ? retryRulesFor(input) : { ...RECONLAYER_RETRY_RULES, ...input };

/**
 * Runs the retry checks over an attempt log and returns every violation (empty when the client behaved).
 * @example expect(findRetryViolations(api.attempts, 'authmatech')).toEqual([]);
 */
export function findRetryViolations(
  attempts: readonly RecordedAttempt[],
  rules?: RetryRulesInput,
  checks: readonly RetryCheck[] = RETRY_CHECKS,
): RetryViolation[] {
  const resolved = resolveRules(rules);
  const chains = groupRetryChains(attempts);
  return checks.flatMap((check) => check.find({ attempts, chains, rules: resolved }).map((finding) => ({ check: check.id, clause: check.clause, ...finding })));
}

/** The error `assertRetryLog` throws: the violations, readable, with the log under them. */
export class RetryLogError extends Error {
  readonly code = 'ERR_RLC_RETRY_LOG';
  readonly violations: RetryViolation[];
  constructor(message: string, violations: RetryViolation[]) {
    super(message);
    this.name = 'RetryLogError';
    this.violations = violations;
  }
}

/** Formats violations and the log as the message of a failed assertion. */
export function formatRetryViolations(violations: readonly RetryViolation[], attempts: readonly RecordedAttempt[]): string {
  const lines = [`Failed to verify the client's retries: ${violations.length} rule(s) broken.`];
  for (const v of violations) lines.push(`  ✗ ${v.check}: ${v.message}.`, `    ${v.clause}`);
  lines.push('Attempts:', formatAttempts(attempts));
  lines.push("Fix the client's retry policy (see docs/client-testing.md), or pass the API's own numbers as rules.");
  return lines.join('\n');
}

/**
 * Throws one readable error when the attempt log breaks a retry rule; usable from any test runner.
 * @example assertRetryLog(api.attempts, 'reconlayer');
 */
export function assertRetryLog(attempts: readonly RecordedAttempt[], rules?: RetryRulesInput, checks?: readonly RetryCheck[]): void {
  const violations = findRetryViolations(attempts, rules, checks);
  if (violations.length > 0) throw new RetryLogError(formatRetryViolations(violations, attempts), violations);
}
