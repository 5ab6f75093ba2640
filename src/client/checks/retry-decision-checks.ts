import type { RecordedAttempt } from '../attempt.js';
import { IDEMPOTENT_METHODS } from '../request-parts.js';
import type { RetryRuleSet } from '../retry-rules.js';
import { idempotencyKeyOf, longestAllowedWaitMs, waitedMs } from '../retry-waits.js';
import { matchesStatus } from '../status-patterns.js';
import { label, type RetryCheck, type RetryCheckInput } from './retry-check.js';

/** One logical request tried more often than the cap. */
export const attemptsOverCap: RetryCheck = {
  id: 'attempts-over-cap',
  catches: 'one logical request tried more often than the attempt cap (no cap, or a cap off by one)',
  fix: 'stop after maxAttempts tries, the first included, and give the last answer back to the caller',
  source: 'the rules’ maxAttempts',
  appliesTo: (rules) => rules.maxAttempts !== undefined,
  find: ({ chains, rules }) =>
    chains
      .filter((chain) => rules.maxAttempts !== undefined && chain.length > rules.maxAttempts)
      .map((chain) => ({
        message: `${label(chain[0] as RecordedAttempt)} was tried ${chain.length} times; the cap is ${rules.maxAttempts}`,
        seqs: chain.map((a) => a.seq),
      })),
};

// Repeating a request after a 5xx is safe only when the method is idempotent or a key makes it so;
// after a 429 the request was not processed, so only an API's own rule about writes limits it.
function mayRepeat(attempt: RecordedAttempt, rules: RetryRuleSet): boolean {
  if (IDEMPOTENT_METHODS.has(attempt.method)) return true;
  if (rules.idempotencyHeader && idempotencyKeyOf(attempt, rules) !== undefined) return true;
  return attempt.status === 429 && rules.idempotencyHeader === undefined;
}

function notRetried(input: RetryCheckInput, rateLimited: boolean) {
  const { chains, rules, lateRepeats } = input;
  return chains.flatMap((chain) => {
    const only = chain[0] as RecordedAttempt;
    if (chain.length !== 1 || (only.status === 429) !== rateLimited || !matchesStatus(rules.mustRetryStatuses, only.status)) return [];
    if (!mayRepeat(only, rules)) return [];
    if (only.retryAfterSeconds !== undefined && only.retryAfterSeconds * 1000 > rules.mayDeclineRetryAfterMs) return [];
    const late = lateRepeats.get(only);
    const note = late
      ? ` (the same request came again ${waitedMs(only, late)} ms later as #${late.seq}: more than ${rules.newCallFactor} × the ${longestAllowedWaitMs(rules, only, 1)} ms the rules allow, so it reads as a new call)`
      : '';
    return [{ message: `${label(only)} got a ${only.status} and was not retried${note}`, seqs: [only.seq, ...(late ? [late.seq] : [])] }];
  });
}

/** A 429 given straight back to the caller. */
export const rateLimitNotRetried: RetryCheck = {
  id: '429-not-retried',
  catches: 'a 429 given straight back to the caller, never retried',
  fix: 'retry a 429 after retry-after (or the backoff). ky with throwHttpErrors: false and axios with validateStatus: () => true turn status retries off; got and axios-retry skip POST unless told',
  source: 'the rules’ mustRetryStatuses',
  appliesTo: (rules) => matchesStatus(rules.mustRetryStatuses, 429),
  find: (input) => notRetried(input, true),
};

/** A 5xx the doc says to retry, given straight back (idempotent or keyed requests only). */
export const serverErrorNotRetried: RetryCheck = {
  id: '5xx-not-retried',
  catches: 'a 5xx the doc says to retry, given straight back (idempotent or keyed requests only)',
  fix: 'retry 500, 502, 503 and 504 on the backoff schedule for requests that are safe to repeat',
  source: 'the rules’ mustRetryStatuses',
  appliesTo: (rules) => rules.mustRetryStatuses.some((s) => s !== 429),
  find: (input) => notRetried(input, false),
};

/** The identical request sent again after an answer that says it is wrong. */
export const retriedNonRetryable: RetryCheck = {
  id: 'retried-non-retryable',
  catches: 'the identical request sent again after an answer that will not change (400, 401, 403, 404, 405, 410, 422)',
  fix: 'give those answers back to the caller; send again only a changed request (a fixed body, refreshed credentials)',
  source: 'the rules’ neverRetryStatuses',
  appliesTo: (rules) => rules.neverRetryStatuses.length > 0,
  find: ({ repeats }) =>
    repeats.map(({ previous, repeat }) => ({
      message: `${label(repeat)} repeated #${previous.seq} unchanged ${waitedMs(previous, repeat)} ms after its ${previous.status}, which is not retryable`,
      seqs: [previous.seq, repeat.seq],
    })),
};
