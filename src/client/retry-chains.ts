import { budgetOf, type RecordedAttempt, sentAfterAnswer } from './attempt.js';
import { HTTP_RETRY_RULES } from './profile-retry-rules.js';
import type { RetryRuleSet } from './retry-rules.js';
import { idempotencyKeyOf, longestAllowedWaitMs, waitedMs } from './retry-waits.js';
import { matchesStatus } from './status-patterns.js';

/** One logical request and its retries, in order. */
export type RetryChain = readonly RecordedAttempt[];

/** What grouping found: the chains, and the repeats that are not retries. */
export interface RetryGrouping {
  chains: RetryChain[];
  /** A non-retryable answer (`neverRetryStatuses`) followed by the identical request, soon enough to be a retry. */
  repeats: Array<{ previous: RecordedAttempt; repeat: RecordedAttempt }>;
  /** Chains whose request came again too late to be a retry, by last attempt: read as a new call. */
  lateRepeats: Map<RecordedAttempt, RecordedAttempt>;
}

interface OpenChain {
  attempts: RecordedAttempt[];
  longestWaitMs: number;
}

// Headers that differ between two sends of one request without changing it.
const VOLATILE_HEADERS = new Set(['date', 'traceparent', 'tracestate', 'x-request-id', 'request-id', 'x-correlation-id', 'x-amzn-trace-id', 'content-length']);

function sameRequest(a: RecordedAttempt, b: RecordedAttempt, rules: RetryRuleSet): 'both' | 'key' | 'body' | undefined {
  const keyA = idempotencyKeyOf(a, rules);
  const sameKey = keyA !== undefined && keyA === idempotencyKeyOf(b, rules);
  const sameBody = (a.bodySha256 ?? '') === (b.bodySha256 ?? '');
  if (sameKey && sameBody) return 'both';
  return sameKey ? 'key' : sameBody ? 'body' : undefined;
}

function identical(a: RecordedAttempt, b: RecordedAttempt): boolean {
  if ((a.bodySha256 ?? '') !== (b.bodySha256 ?? '')) return false;
  const names = new Set([...Object.keys(a.headers), ...Object.keys(b.headers)]);
  return [...names].every((name) => VOLATILE_HEADERS.has(name) || a.headers[name] === b.headers[name]);
}

/**
 * Groups a log as the client acted. An attempt continues a chain when it is the same operation (budget,
 * method, path and query) with the same body or the same idempotency key, was sent after the chain's last
 * answer (not in parallel with it), that answer was retryable, and it came within the retry horizon:
 * `newCallFactor` × the longest wait the rules allow (or the chain has shown), or exactly that wait once
 * the chain has `maxAttempts` attempts. Anything else starts a new chain. Exempt paths are left out.
 * The full rule, with examples, is in docs/client-testing.md ("How attempts are grouped").
 */
export function analyseRetries(attempts: readonly RecordedAttempt[], rules: RetryRuleSet = HTTP_RETRY_RULES): RetryGrouping {
  const chains: RecordedAttempt[][] = [];
  const repeats: RetryGrouping['repeats'] = [];
  const lateRepeats = new Map<RecordedAttempt, RecordedAttempt>();
  const open = new Map<string, OpenChain[]>();
  for (const attempt of [...attempts].sort((a, b) => a.seq - b.seq)) {
    if (attempt.scope === 'exempt') continue;
    const identity = `${budgetOf(attempt)}\n${attempt.method}\n${attempt.path}`;
    const candidates = (open.get(identity) ?? []).filter((c) => sentAfterAnswer(attempt, c.attempts.at(-1) as RecordedAttempt, 'after'));
    const match = pickPredecessor(candidates, attempt, rules);
    if (match) {
      const previous = match.attempts.at(-1) as RecordedAttempt;
      const list = open.get(identity) as OpenChain[];
      list.splice(list.indexOf(match), 1);
      const waitMs = waitedMs(previous, attempt);
      const allowedMs = longestAllowedWaitMs(rules, previous, match.attempts.length);
      const atCap = rules.maxAttempts !== undefined && match.attempts.length >= rules.maxAttempts;
      const horizonMs = atCap ? allowedMs : rules.newCallFactor * Math.max(allowedMs, match.longestWaitMs);
      if (matchesStatus(rules.retryableStatuses, previous.status)) {
        if (waitMs <= horizonMs) {
          match.attempts.push(attempt);
          match.longestWaitMs = Math.max(match.longestWaitMs, waitMs);
          list.push(match);
          continue;
        }
        lateRepeats.set(previous, attempt);
      } else if (matchesStatus(rules.neverRetryStatuses, previous.status) && identical(previous, attempt) && waitMs <= horizonMs) {
        repeats.push({ previous, repeat: attempt });
      }
    }
    const fresh: OpenChain = { attempts: [attempt], longestWaitMs: 0 };
    chains.push(fresh.attempts);
    open.set(identity, [...(open.get(identity) ?? []), fresh]);
  }
  return { chains, repeats, lateRepeats };
}

// A chain waiting on a retryable answer is continued first, oldest first, preferring the same key and body;
// otherwise the latest finished request of the operation is the one this attempt repeats.
function pickPredecessor(candidates: OpenChain[], attempt: RecordedAttempt, rules: RetryRuleSet): OpenChain | undefined {
  const waiting = candidates.filter((c) => matchesStatus(rules.retryableStatuses, (c.attempts.at(-1) as RecordedAttempt).status));
  for (const wanted of ['both', 'key', 'body'] as const) {
    const found = waiting.find((c) => sameRequest(c.attempts.at(-1) as RecordedAttempt, attempt, rules) === wanted);
    if (found) return found;
  }
  const finished = candidates.filter((c) => !waiting.includes(c) && sameRequest(c.attempts.at(-1) as RecordedAttempt, attempt, rules) !== undefined);
  return finished.at(-1);
}

/** The retry chains of a log (see `analyseRetries` for the rule). */
export function groupRetryChains(attempts: readonly RecordedAttempt[], rules: RetryRuleSet = HTTP_RETRY_RULES): RetryChain[] {
  return analyseRetries(attempts, rules).chains;
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
