import { sentAfterAnswer } from '../attempt.js';
import { attemptsByBudget } from '../retry-chains.js';
import { waitedMs } from '../retry-waits.js';
import { label, type RetryCheck, type RetryFinding } from './retry-check.js';

/**
 * A client that was told its budget was spent (`x-ratelimit-remaining: 0` on an answer it had) and still
 * sent the next request of that budget into a 429. Requests already in flight when that answer arrived
 * (a parallel fan-out) and budgets spent by someone else (no remaining-0 answer in the log) do not count.
 */
export const noPacing: RetryCheck = {
  id: 'no-pacing',
  catches: 'a client that spends x-ratelimit-remaining down to 0 and sends its next request into a 429 instead of waiting for the reset',
  fix: 'watch x-ratelimit-remaining: near 0, spread what is left over x-ratelimit-reset (createBudgetPacer does this; see the README for got, ky, axios, undici and p-retry hooks), or set requirePacing: false',
  source: 'the rules’ requirePacing',
  appliesTo: (rules) => rules.requirePacing,
  find: ({ attempts }) => {
    const findings: RetryFinding[] = [];
    for (const list of attemptsByBudget(attempts).values()) {
      for (const [i, spent] of list.entries()) {
        if (spent.remaining !== 0 || spent.status >= 400) continue;
        const next = list.slice(i + 1).find((a) => sentAfterAnswer(a, spent, 'concurrent'));
        if (next?.status !== 429) continue;
        findings.push({
          message: `${label(spent)} left x-ratelimit-remaining at 0, and the next request, ${label(next)}, was sent ${waitedMs(spent, next)} ms later into a 429`,
          seqs: [spent.seq, next.seq],
        });
      }
    }
    return findings;
  },
};
