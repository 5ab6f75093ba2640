import { type RecordedAttempt, sentAfterAnswer } from '../attempt.js';
import { attemptsByBudget } from '../retry-chains.js';
import { waitedMs } from '../retry-waits.js';
import { label, type RetryCheck, type RetryFinding, retrySteps } from './retry-check.js';

/** A retry that came before the `retry-after` of the answer it followed. */
export const retryBeforeRetryAfter: RetryCheck = {
  id: 'retry-before-retry-after',
  catches: 'a retry sent before the retry-after of the answer it follows had elapsed',
  fix: 'wait at least what retry-after says (seconds, or an HTTP-date) before the retry, and never cap that wait below it',
  source: 'RFC 9110 §10.2.3',
  appliesTo: (rules) => rules.honourRetryAfter,
  find: ({ chains, rules }) =>
    retrySteps(chains).flatMap(({ previous, retry }) => {
      if (previous.retryAfterSeconds === undefined) return [];
      const allowedAtMs = previous.respondedAtMs + previous.retryAfterSeconds * 1000;
      if (retry.atMs >= allowedAtMs - rules.toleranceMs) return [];
      return [
        {
          message: `${label(retry)} came ${waitedMs(previous, retry)} ms after a ${previous.status} that said retry-after ${previous.retryAfterSeconds} s (${allowedAtMs - retry.atMs} ms early)`,
          seqs: [previous.seq, retry.seq],
        },
      ];
    }),
};

/**
 * Two or more new requests (not retries) of one budget sent after a 429 arrived and inside the pause it
 * asked for. Requests already in flight when the 429 arrived (a parallel fan-out) do not count: the client
 * could not know. Retries do not count either: each chain's own timing is what the backoff and retry-after
 * checks judge, and parallel chains backing off side by side are normal.
 */
export const hammeringAfter429: RetryCheck = {
  id: 'hammering-after-429',
  catches: 'new requests of the same budget that keep coming, after a 429 arrived, inside the pause it asked for',
  fix: 'after a 429, hold every request of that budget (not only the retry) until retry-after has passed; share the pause across the calls that use one credential',
  source: 'RFC 9110 §10.2.3',
  appliesTo: (rules) => rules.hammerThreshold > 0,
  find: ({ attempts, chains, rules }) => {
    const findings: RetryFinding[] = [];
    const heads = new Set(chains.map((chain) => chain[0]));
    for (const list of attemptsByBudget(attempts).values()) {
      let quietUntilMs = Number.NEGATIVE_INFINITY;
      for (const [i, rejected] of list.entries()) {
        if (rejected.status !== 429 || rejected.respondedAtMs < quietUntilMs) continue;
        const pauseMs = rejected.retryAfterSeconds !== undefined ? rejected.retryAfterSeconds * 1000 : rules.minPauseAfter429Ms;
        const untilMs = rejected.respondedAtMs + pauseMs - rules.toleranceMs;
        const inside = list.slice(i + 1).filter((a: RecordedAttempt) => heads.has(a) && a.atMs < untilMs && sentAfterAnswer(a, rejected, 'concurrent'));
        if (inside.length < rules.hammerThreshold) continue;
        quietUntilMs = untilMs;
        findings.push({
          message: `after the 429 of #${rejected.seq}, ${inside.length} more new requests were sent within the ${pauseMs} ms it asked to pause (${seqList(inside)})`,
          seqs: [rejected.seq, ...inside.map((a) => a.seq)],
        });
      }
    }
    return findings;
  },
};

/** `#3, #4, #5` for a few attempts, `#3 … #66 (60 requests)` for many. */
export function seqList(attempts: readonly RecordedAttempt[]): string {
  if (attempts.length <= 6) return attempts.map((a) => `#${a.seq}`).join(', ');
  return `#${attempts[0]?.seq} … #${attempts.at(-1)?.seq} (${attempts.length} requests)`;
}
