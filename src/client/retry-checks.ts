import type { RecordedAttempt } from './attempt.js';
import { baseDelayMs } from './backoff-delay.js';
import { IDEMPOTENT_METHODS } from './request-parts.js';
import { attemptsByBudget, type RetryChain } from './retry-chains.js';
import type { RetryRules } from './retry-rules.js';

/** What a check sees: the log, its retry chains and the rules. */
export interface RetryCheckInput {
  attempts: readonly RecordedAttempt[];
  chains: readonly RetryChain[];
  rules: RetryRules;
}

/** One finding of a check: what went wrong, and the attempts (by `seq`) that show it. */
export interface RetryFinding {
  message: string;
  seqs: number[];
}

/** A retry check as data: a stable id, the doc clause it enforces, and the function. */
export interface RetryCheck {
  id: string;
  clause: string;
  find(input: RetryCheckInput): RetryFinding[];
}

const label = (a: RecordedAttempt) => `#${a.seq} ${a.method} ${a.path}`;

/** Pairs of (previous answer, retry) inside each chain, with the retry's number (1-based). */
function retries(chains: readonly RetryChain[]): Array<{ previous: RecordedAttempt; retry: RecordedAttempt; n: number }> {
  return chains.flatMap((chain) => chain.slice(1).map((retry, i) => ({ previous: chain[i] as RecordedAttempt, retry, n: i + 1 })));
}

/** The five checks, in the order a report lists them. */
export const RETRY_CHECKS: readonly RetryCheck[] = [
  {
    id: 'retry-before-retry-after',
    clause: 'ReconLayer: "Use the retry-after header (seconds) to decide how long to wait before your next request"',
    find: ({ chains, rules }) =>
      retries(chains).flatMap(({ previous, retry }) => {
        if (previous.retryAfterSeconds === undefined) return [];
        const allowedAtMs = previous.respondedAtMs + previous.retryAfterSeconds * 1000;
        if (retry.atMs >= allowedAtMs - rules.toleranceMs) return [];
        const waitedMs = retry.atMs - previous.respondedAtMs;
        return [
          {
            message: `${label(retry)} came ${waitedMs} ms after a ${previous.status} that said retry-after ${previous.retryAfterSeconds} s (${allowedAtMs - retry.atMs} ms early)`,
            seqs: [previous.seq, retry.seq],
          },
        ];
      }),
  },
  {
    id: 'attempts-over-cap',
    clause: 'Authmatech: "Cap attempts (e.g. 5) and the maximum wait (e.g. 60 s)"',
    find: ({ chains, rules }) =>
      chains
        .filter((chain) => chain.length > rules.maxAttempts)
        .map((chain) => ({
          message: `${label(chain[0] as RecordedAttempt)} was tried ${chain.length} times; the cap is ${rules.maxAttempts}`,
          seqs: chain.map((a) => a.seq),
        })),
  },
  {
    id: 'jitter-out-of-bounds',
    clause: 'Authmatech: "Wait ~1 s after the first 429. Double the wait each attempt … Add ±100 ms jitter"',
    find: ({ chains, rules }) => {
      const schedule = rules.backoff;
      if (!schedule) return [];
      return retries(chains).flatMap(({ previous, retry, n }) => {
        if (previous.retryAfterSeconds !== undefined) return [];
        const waitedMs = retry.atMs - previous.respondedAtMs;
        const base = baseDelayMs(schedule, n);
        const slack = schedule.jitterMs + rules.toleranceMs;
        if (waitedMs >= base - slack && waitedMs <= base + slack) return [];
        return [
          {
            message: `retry ${n} (${label(retry)}) waited ${waitedMs} ms after a ${previous.status}; the schedule asks for ${base} ms ± ${schedule.jitterMs} ms`,
            seqs: [previous.seq, retry.seq],
          },
        ];
      });
    },
  },
  {
    id: 'non-idempotent-retry-without-key',
    clause: 'ReconLayer: "For idempotent writes, retry with the same Idempotency-Key and request body"',
    find: ({ chains, rules }) => {
      const header = rules.idempotencyHeader;
      if (!header) return [];
      return chains.flatMap((chain) => {
        const first = chain[0] as RecordedAttempt;
        if (chain.length < 2 || IDEMPOTENT_METHODS.has(first.method)) return [];
        const keys = chain.map((a) => a.headers[header.toLowerCase()] ?? a.idempotencyKey);
        const seqs = chain.map((a) => a.seq);
        if (keys.some((k) => !k))
          return [
            { message: `${label(first)} was retried ${chain.length - 1} time(s) with no ${header} on ${keys.filter((k) => !k).length} attempt(s)`, seqs },
          ];
        if (new Set(keys).size > 1) return [{ message: `${label(first)} changed its ${header} across retries (${[...new Set(keys)].join(', ')})`, seqs }];
        if (new Set(chain.map((a) => a.bodySha256 ?? '')).size > 1)
          return [{ message: `${label(first)} changed its body across retries under one ${header}`, seqs }];
        return [];
      });
    },
  },
  {
    id: 'hammering-after-429',
    clause: 'Authmatech: "Requests are not queued or retried for you — your client owns the retry logic"; ReconLayer: "Back off and retry"',
    find: ({ attempts, rules }) => {
      const findings: RetryFinding[] = [];
      for (const list of attemptsByBudget(attempts).values()) {
        for (let i = 0; i < list.length; i += 1) {
          const rejected = list[i] as RecordedAttempt;
          if (rejected.status !== 429) continue;
          const pauseMs = rejected.retryAfterSeconds !== undefined ? rejected.retryAfterSeconds * 1000 : rules.minPauseAfter429Ms;
          const until = rejected.respondedAtMs + pauseMs - rules.toleranceMs;
          const inside = list.slice(i + 1).filter((a) => a.atMs < until);
          if (inside.length < rules.hammerThreshold) continue;
          findings.push({
            message: `after the 429 of #${rejected.seq}, ${inside.length} more requests came within the ${pauseMs} ms it asked to pause (${inside.map((a) => `#${a.seq}`).join(', ')})`,
            seqs: [rejected.seq, ...inside.map((a) => a.seq)],
          });
          i += inside.length;
        }
      }
      return findings;
    },
  },
];
