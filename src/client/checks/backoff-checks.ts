import { type BackoffSchedule, baseDelayMs } from '../backoff-delay.js';
import type { RetryRuleSet } from '../retry-rules.js';
import { uncappedDelayMs, waitedMs } from '../retry-waits.js';
import { label, type RetryCheck, type RetryCheckInput, type RetryStep, retrySteps } from './retry-check.js';

/** A scheduled retry (one the rules time by backoff, not by `retry-after`) and where its wait falls. */
export interface ScheduledWait extends RetryStep {
  waitedMs: number;
  baseMs: number;
  verdict: 'too-fast' | 'on-schedule' | 'too-slow' | 'uncapped';
}

/** The retries that the schedule times, each with its verdict: below, inside, above the jitter band, or past the cap. */
export function scheduledWaits({ chains, rules }: Pick<RetryCheckInput, 'chains' | 'rules'>): ScheduledWait[] {
  const schedule = rules.backoff;
  if (!schedule) return [];
  return retrySteps(chains)
    .filter(({ previous }) => previous.retryAfterSeconds === undefined || !rules.honourRetryAfter)
    .map((step) => {
      const waited = waitedMs(step.previous, step.retry);
      const baseMs = baseDelayMs(schedule, step.n);
      const slack = schedule.jitterMs + rules.toleranceMs;
      const capped = uncappedDelayMs(schedule, step.n) >= schedule.maxDelayMs;
      const verdict = waited < baseMs - slack ? 'too-fast' : waited <= baseMs + slack ? 'on-schedule' : capped ? 'uncapped' : 'too-slow';
      return { ...step, waitedMs: waited, baseMs, verdict };
    });
}

const band = (schedule: BackoffSchedule, baseMs: number) => `${baseMs} ms ± ${schedule.jitterMs} ms`;

function backoffCheck(
  id: RetryCheck['id'],
  verdict: ScheduledWait['verdict'],
  catches: string,
  fix: string,
  explain: (w: ScheduledWait, rules: RetryRuleSet) => string,
): RetryCheck {
  return {
    id,
    catches,
    fix,
    source: 'the rules’ backoff schedule',
    appliesTo: (rules) => rules.backoff !== undefined,
    find: (input) =>
      scheduledWaits(input)
        .filter((w) => w.verdict === verdict)
        .map((w) => ({
          message: `retry ${w.n} (${label(w.retry)}) waited ${w.waitedMs} ms after a ${w.previous.status}; ${explain(w, input.rules)}`,
          seqs: [w.previous.seq, w.retry.seq],
        })),
  };
}

/** A retry sooner than the schedule: immediate, fixed-delay, linear, or a smaller base. */
export const backoffTooFast = backoffCheck(
  'backoff-too-fast',
  'too-fast',
  'a retry sooner than the backoff schedule allows (immediate, fixed or linear delays, a smaller base)',
  'wait base × factor^(n−1) before retry n (1 s, 2 s, 4 s … for Authmatech), with the jitter the doc asks for',
  (w, rules) => `the schedule asks for ${band(rules.backoff as BackoffSchedule, w.baseMs)}`,
);

/** A retry later than the schedule, before the schedule reaches its cap: a larger base or factor, an exponent off by one. */
export const backoffTooSlow = backoffCheck(
  'backoff-too-slow',
  'too-slow',
  'a retry later than the backoff schedule allows, before the schedule reaches its cap (a larger base or factor, an exponent off by one, too wide a jitter)',
  'start at the base (1 s for Authmatech) and multiply by the factor each retry, jitter within the band; a slow client keeps its own users waiting',
  (w, rules) => `the schedule asks for ${band(rules.backoff as BackoffSchedule, w.baseMs)}`,
);

/** A wait past the schedule's cap once the doubling has reached it. */
export const backoffUncapped = backoffCheck(
  'backoff-uncapped',
  'uncapped',
  'a wait longer than the schedule’s cap once the doubling has reached it (seen when a chain is long enough)',
  'cap every wait: Math.min(maxDelay, base × factor^(n−1)) before adding jitter (60 s for Authmatech)',
  (w, rules) => `the schedule caps waits at ${band(rules.backoff as BackoffSchedule, w.baseMs)}`,
);
