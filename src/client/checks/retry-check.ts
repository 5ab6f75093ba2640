import type { RecordedAttempt } from '../attempt.js';
import type { RetryChain, RetryGrouping } from '../retry-chains.js';
import type { RetryCheckId, RetryRuleSet } from '../retry-rules.js';

/** What a check sees: the log, how it groups, and the rules. */
export interface RetryCheckInput extends RetryGrouping {
  attempts: readonly RecordedAttempt[];
  rules: RetryRuleSet;
}

/** One finding of a check: what went wrong, and the attempts (by `seq`) that show it. */
export interface RetryFinding {
  message: string;
  seqs: number[];
}

/** A retry check as data: a stable id, what it catches, how to fix it, and the function. */
export interface RetryCheck {
  id: RetryCheckId;
  /** The defect, in one sentence. */
  catches: string;
  /** What to change in the client. */
  fix: string;
  /** Quoted when the rule set has no clause of its own for this check. */
  source: string;
  /** Whether these rules ask for the check at all (its parameter is set). */
  appliesTo(rules: RetryRuleSet): boolean;
  find(input: RetryCheckInput): RetryFinding[];
}

/** `#3 GET /v1/x`. */
export const label = (a: RecordedAttempt): string => `#${a.seq} ${a.method} ${a.path}`;

/** One retry inside a chain: the answer it followed, the retry, and its number (1-based). */
export interface RetryStep {
  previous: RecordedAttempt;
  retry: RecordedAttempt;
  n: number;
}

/** Every (previous answer, retry) pair of the chains. */
export function retrySteps(chains: readonly RetryChain[]): RetryStep[] {
  return chains.flatMap((chain) => chain.slice(1).map((retry, i) => ({ previous: chain[i] as RecordedAttempt, retry, n: i + 1 })));
}
