// Judges what one response reports of one limit: its quota and window as declared ('format'), the
// numbers left ('remaining'), and a reset in the declared format within the window ('format'). The values
// come from the header module's read side (limit-reports.ts).
import type { LimitReading } from '../../core/headers/read-headers.js';
import { secondsDiagnosis } from '../expectations.js';
import { type LimitReports, readAs } from './limit-reports.js';
import { type JudgeContext, type LimitState, limitWords, rangeWords, type StepFacts, stepWords, type ViolationKind, within } from './run-facts.js';

/** A reset may read up to this much past the window: whole seconds round up, an epoch second too. */
const RESET_SLACK_MS = 2_000;
/** Epoch seconds are past 2001-09-09; no window resets that far ahead. */
const EPOCH_FLOOR_MS = 1_000_000_000_000;

/** Records a violation of the response being judged. */
export type Emit = (kind: ViolationKind, summary: string, expected: string, actual: string) => void;
function judgeReset(j: JudgeContext, step: StepFacts, reports: LimitReports, i: number, reading: LimitReading, emit: Emit): void {
  const state = step.states[i] as LimitState;
  const { exchange } = step;
  const W = state.rule.windowMs;
  const value = reading.resetMs;
  const where = j.quote('/x-rate-limit/headers');
  const named = limitWords(state);
  if (value === undefined) return;
  const alternative = (resetFormat: 'seconds' | 'epoch-seconds') => {
    const other = readAs(
      j.format,
      resetFormat,
      step.states.map((s) => s.applied.limit),
      exchange.response.headers,
      exchange.receivedAtMs,
    );
    return (reports.own.has(i) ? other.own.get(i) : other.shared)?.resetMs;
  };
  if (j.format.style === 'named' && j.format.resetFormat === 'epoch-seconds') {
    const asSeconds = alternative('seconds');
    if (asSeconds !== undefined && asSeconds < EPOCH_FLOOR_MS) {
      emit(
        'format',
        `${stepWords(step)}: ${named}'s reset reads ${asSeconds / 1000}, which is no epoch time (it would be ${new Date(asSeconds).toISOString()}): it looks like seconds until the reset, but the spec declares the reset as epoch seconds (${where}).`,
        'the reset as the epoch second it happens at (resetFormat: epoch-seconds)',
        `a reset of ${asSeconds / 1000}`,
      );
      return;
    }
  }
  if (value > W + RESET_SLACK_MS) {
    let why = `more than the window`;
    if (j.format.resetFormat === 'seconds') {
      const asEpoch = alternative('epoch-seconds');
      why =
        asEpoch !== undefined && asEpoch <= W + RESET_SLACK_MS
          ? `more than the window: it looks like an epoch time (read as epoch seconds it is ${Math.round(asEpoch / 1000)} s away), not the seconds until the reset declared`
          : `more than the window: it ${secondsDiagnosis(value / 1000, W, exchange.receivedAtMs)}`;
    }
    emit(
      'format',
      `${stepWords(step)}: ${named}'s reset, read as ${j.format.resetFormat}, is ${Math.round(value / 1000)} s away, ${why} (${where}).`,
      `a reset within ${named}'s window: at most ${Math.ceil(W / 1000)} s from now, as ${j.format.resetFormat}`,
      `${Math.round(value / 1000)} s`,
    );
    return;
  }
  const start = state.windowStart;
  if (start && !state.unknown) {
    const leftMs = start.lo + W - exchange.receivedAtMs;
    if (value < leftMs - RESET_SLACK_MS) {
      emit(
        'format',
        `${stepWords(step)}: ${named}'s reset reads ${(value / 1000).toFixed(1)} s from now, but its window began with the first request of the run and about ${Math.floor(leftMs / 1000)} s of it were left: a client that trusts it comes back too early (${where}).`,
        `about ${Math.floor(leftMs / 1000)} s or more`,
        `${(value / 1000).toFixed(1)} s`,
      );
    }
  }
}

/** Judges what the response reports of limit `i`. */
export function judgeLimitReading(j: JudgeContext, step: StepFacts, reports: LimitReports, i: number, reading: LimitReading, emit: Emit): void {
  const state = step.states[i] as LimitState;
  const named = limitWords(state);
  const pointer = j.quote(state.applied.pointer);
  if (reading.limit !== undefined && reading.limit !== state.rule.limit && reports.own.get(i) === reading) {
    emit(
      'format',
      `${stepWords(step)} reports ${state.applied.limit.name} with a limit of ${reading.limit}; the spec declares ${state.rule.limit} (${pointer}).`,
      `${state.applied.limit.name}: limit ${state.rule.limit}`,
      `limit ${reading.limit}`,
    );
  }
  const windowSeconds = Math.ceil(state.rule.windowMs / 1000);
  if (reading.windowMs !== undefined && reading.windowMs !== windowSeconds * 1000) {
    emit(
      'format',
      `${stepWords(step)} reports ${state.applied.limit.name}'s window as w=${reading.windowMs / 1000}; the spec declares ${windowSeconds} s (${pointer}).`,
      `w=${windowSeconds}`,
      `w=${reading.windowMs / 1000}`,
    );
  }
  if (reading.remaining === undefined) {
    if (!reports.problems.length) emit('format', `${stepWords(step)} reports ${named} without the remaining budget.`, 'the remaining budget', 'none');
  } else if (!state.unknown && !within(reading.remaining, state.remaining)) {
    const spentWords = `${rangeWords(state.spent)} ${state.applied.limit.unit} spent of ${state.rule.limit}`;
    const cost = state.applied.cost;
    const costNote =
      cost !== 1 && state.spent.lo === state.spent.hi && state.rule.limit - reading.remaining === state.spent.lo / cost
        ? ` It went down by one per request, not by the cost of ${cost} (${j.quote(state.applied.costPointer ?? state.applied.pointer)}).`
        : cost !== 1
          ? ` Each request here costs ${cost} (${j.quote(state.applied.costPointer ?? state.applied.pointer)}).`
          : '';
    emit(
      'remaining',
      `${stepWords(step)} reports ${reading.remaining} left of ${named}; by the policy ${spentWords}, so ${rangeWords(state.remaining)} must be left (${pointer}).${costNote}`,
      `${state.applied.limit.name}: ${rangeWords(state.remaining)} left`,
      `${reading.remaining} left`,
    );
  }
  if (reading.used !== undefined && reading.remaining !== undefined && reading.limit !== undefined && reading.used !== reading.limit - reading.remaining) {
    emit(
      'remaining',
      `${stepWords(step)} reports ${reading.used} used of ${named} with ${reading.remaining} left of ${reading.limit}: used must be limit − remaining.`,
      `used ${reading.limit - reading.remaining}`,
      `used ${reading.used}`,
    );
  }
  // A declared reset name, or draft-6/7's reset, must be sent; draft-8/12's `t` parameter is optional.
  const resetDeclared =
    j.format.style === 'named'
      ? (reports.own.has(i) ? state.applied.limit.headers?.reset : j.format.names.reset) !== undefined
      : j.format.style === 'draft-6' || j.format.style === 'draft-7';
  if (reading.resetMs === undefined && !reports.problems.length && resetDeclared)
    emit('format', `${stepWords(step)} reports ${named} without its reset (${j.quote('/x-rate-limit/headers')}).`, 'a reset', 'none');
  judgeReset(j, step, reports, i, reading, emit);
}
