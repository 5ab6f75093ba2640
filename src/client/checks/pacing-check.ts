import { sentAfterAnswer } from '../attempt.js';
import { attemptsByBudget } from '../retry-chains.js';
import { waitedMs } from '../retry-waits.js';
import { label, type RetryCheck, type RetryFinding } from './retry-check.js';

/**
 * A client that was told its budget was spent (a remaining of 0 on an answer it had, in whichever header the
 * API reports it: `x-ratelimit-remaining`, `RateLimit: …;r=0`) and still
 * sent the next request of that budget into a 429. Requests already in flight when that answer arrived
 * (a parallel fan-out) and budgets spent by someone else (no remaining-0 answer in the log) do not count.
 */
export const noPacing: RetryCheck = {
  id: 'no-pacing',
  catches:
    'a client that spends the remaining budget (x-ratelimit-remaining, RateLimit r=…) down to 0 and sends its next request into a 429 instead of waiting for the reset',
  fix: 'watch the remaining budget: near 0, spread what is left over the time to the reset (createBudgetPacer does this, given the spec: { policy }; see the README for got, ky, axios, undici and p-retry hooks), or set requirePacing: false',
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
          message: `${label(spent)} left the budget at 0 remaining, and the next request, ${label(next)}, was sent ${waitedMs(spent, next)} ms later into a 429`,
          seqs: [spent.seq, next.seq],
        });
      }
    }
    return findings;
  },
};
