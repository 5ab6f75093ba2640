import { budgetOf, isRetryableStatus, type RecordedAttempt } from './attempt.js';

/** One logical request and its retries, in order. */
export type RetryChain = readonly RecordedAttempt[];

/**
 * Groups a log into retry chains. An attempt continues the chain of the same budget, method and path
 * when that chain's last answer was retryable (408, 429, 5xx); otherwise it starts a new request.
 * Exempt paths are left out: they spend no budget. Two identical requests in flight at once would be
 * read as one chain; tests that check retries send one logical request at a time per path.
 */
export function groupRetryChains(attempts: readonly RecordedAttempt[]): RetryChain[] {
  const chains: RecordedAttempt[][] = [];
  const open = new Map<string, RecordedAttempt[]>();
  for (const attempt of [...attempts].sort((a, b) => a.seq - b.seq)) {
    if (attempt.scope === 'exempt') continue;
    const identity = `${budgetOf(attempt)}\n${attempt.method}\n${attempt.path}`;
    const chain = open.get(identity);
    const last = chain?.[chain.length - 1];
    if (chain && last && isRetryableStatus(last.status)) chain.push(attempt);
    else {
      const fresh = [attempt];
      chains.push(fresh);
      open.set(identity, fresh);
    }
  }
  return chains;
}

/** Attempts of one budget in order, exempt paths left out. */
export function attemptsByBudget(attempts: readonly RecordedAttempt[]): Map<string, RecordedAttempt[]> {
  const byBudget = new Map<string, RecordedAttempt[]>();
  for (const attempt of [...attempts].sort((a, b) => a.seq - b.seq)) {
    if (attempt.scope === 'exempt') continue;
    const list = byBudget.get(budgetOf(attempt)) ?? [];
    list.push(attempt);
    byBudget.set(budgetOf(attempt), list);
  }
  return byBudget;
}
