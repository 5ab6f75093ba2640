// Judges what one response's rate-limit headers report against the policy: their form per the declared
// style ('format'), the numbers left ('remaining'), and which limit they present as the one that decides
// ('decider'). Everything is read with the header module's read side (limit-reports.ts).
import type { LimitReading } from '../../core/headers/read-headers.js';
import { secondsDiagnosis } from '../expectations.js';
import { hasSharedNames, type LimitReports, readAs, readLimitReports, reportsByName } from './limit-reports.js';
import {
  type JudgeContext,
  type LimitState,
  limitWords,
  rangeWords,
  type StepFacts,
  stepWords,
  type Violation,
  type ViolationKind,
  within,
} from './run-facts.js';

/** A reset may read up to this much past the window: whole seconds round up, an epoch second too. */
const RESET_SLACK_MS = 2_000;
/** Epoch seconds are past 2001-09-09; no window resets that far ahead. */
const EPOCH_FLOOR_MS = 1_000_000_000_000;

type Emit = (kind: ViolationKind, summary: string, expected: string, actual: string) => void;

/** The limits that report through the shared set of headers (shared `named` names, draft-6, draft-7). */
function sharedReporters(j: JudgeContext, states: readonly LimitState[]): number[] {
  if (reportsByName(j.format)) return [];
  const named = j.format.style === 'named';
  if (named && !hasSharedNames(j.format)) return [];
  return states.flatMap((s, i) => (s.applied.limit.report && !(named && s.applied.limit.headers) ? [i] : []));
}

/** The limits the shared set may report: the one that refused, else the ones that may be closest to running out. */
function mayBeReported(step: StepFacts, reporters: number[]): number[] {
  if (step.decider !== undefined && reporters.includes(step.decider)) return [step.decider];
  const mixed = new Set(reporters.map((i) => step.states[i]?.applied.limit.unit)).size > 1;
  const value = (i: number, bound: 'lo' | 'hi') => {
    const s = step.states[i] as LimitState;
    return mixed ? s.remaining[bound] / Math.max(1, s.rule.limit) : s.remaining[bound];
  };
  const least = Math.min(...reporters.map((i) => value(i, 'hi')));
  return reporters.filter((i) => value(i, 'lo') <= least);
}

/** Whether a limit's own report may be missing: a stacked limit after the refusing one never ran. */
function mayBeSilent(j: JudgeContext, step: StepFacts, i: number): boolean {
  if (step.observed.kind !== 'refused' || j.stacking !== 'in-order') return false;
  return i > Math.min(...step.observed.by);
}

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

function judgeLimitReading(j: JudgeContext, step: StepFacts, reports: LimitReports, i: number, reading: LimitReading, emit: Emit): void {
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
  if (
    reading.resetMs === undefined &&
    !reports.problems.length &&
    (reports.own.has(i)
      ? state.applied.limit.headers?.reset !== undefined || j.format.style !== 'named'
      : j.format.names.reset !== undefined || j.format.style !== 'named')
  )
    emit('format', `${stepWords(step)} reports ${named} without its reset (${j.quote('/x-rate-limit/headers')}).`, 'a reset', 'none');
  judgeReset(j, step, reports, i, reading, emit);
}

/** Judges one response's headers. The IETF styles must send RateLimit-Policy besides the limits. */
export function judgeReports(j: JudgeContext, step: StepFacts): Violation[] {
  const out: Violation[] = [];
  const emit: Emit = (kind, summary, expected, actual) => out.push({ kind, summary, expected, actual, exchange: step.exchange });
  const limits = step.states.map((s) => s.applied.limit);
  const reports = readLimitReports(j.format, limits, step.exchange.response.headers, step.exchange.receivedAtMs);
  const headersAt = j.quote('/x-rate-limit/headers');
  if (reports.problems.length > 0) {
    // RateLimit first: the field whose syntax tells the drafts apart best.
    const problems = [...reports.problems].sort((a, b) => Number(b.header === 'ratelimit') - Number(a.header === 'ratelimit'));
    emit(
      'format',
      `${stepWords(step)} carries ${problems.map((p) => `${p.header}: ${p.value}, which ${p.message}`).join('; and ')} (${headersAt}).`,
      problems.map((p) => `${p.header} as ${j.format.style === 'named' ? 'declared' : j.format.style} writes it`).join(', '),
      problems.map((p) => `${p.header}: ${p.value}`).join(', '),
    );
  }
  for (const stranger of reports.strangers) {
    emit(
      'scope',
      `${stepWords(step)} reports a limit named "${stranger.name}", which does not apply to ${step.operation.label}; its limits are ${limits.map((l) => l.name).join(', ')} (${headersAt}).`,
      `only ${limits
        .filter((l) => l.report)
        .map((l) => `"${l.name}"`)
        .join(', ')}`,
      `"${stranger.name}"`,
    );
  }
  for (const name of reports.repeated)
    emit('format', `${stepWords(step)} reports "${name}" twice; each limit is reported once.`, `"${name}" once`, `"${name}" twice`);
  const byName = reportsByName(j.format) || j.format.style === 'named';
  for (const [i, state] of step.states.entries()) {
    const limit = state.applied.limit;
    const ownName = reportsByName(j.format) || (j.format.style === 'named' && limit.headers !== undefined);
    if (!byName || !limit.report || !ownName) continue;
    const reading = reports.own.get(i);
    if (reading) judgeLimitReading(j, step, reports, i, reading, emit);
    else if (!mayBeSilent(j, step, i) && !reports.problems.length) {
      emit(
        'format',
        `${stepWords(step)} does not report ${limitWords(state)}, which applies to ${step.operation.label} and reports (${j.quote(state.applied.pointer)}).`,
        `"${limit.name}" reported`,
        'not reported',
      );
    }
  }
  if (
    (j.format.style === 'draft-6' || j.format.style === 'draft-7' || reportsByName(j.format)) &&
    reports.policies.length === 0 &&
    !reports.problems.length &&
    limits.some((l) => l.report)
  ) {
    emit(
      'format',
      `${stepWords(step)} carries no RateLimit-Policy field, which ${j.format.style} sends with the limits (${headersAt}).`,
      'RateLimit-Policy',
      'none',
    );
  }
  if (j.format.style === 'draft-6' || j.format.style === 'draft-7') {
    for (const p of reports.policies) {
      const matches = step.states.some(
        (s) => s.applied.limit.report && s.rule.limit === p.quota && (p.windowSeconds === undefined || p.windowSeconds === Math.ceil(s.rule.windowMs / 1000)),
      );
      if (!matches)
        emit(
          'format',
          `${stepWords(step)}'s RateLimit-Policy has ${p.quota};w=${p.windowSeconds}, which is none of the limits of ${step.operation.label}: ${step.states.map((s) => `${s.rule.limit};w=${Math.ceil(s.rule.windowMs / 1000)}`).join(', ')}.`,
          step.states.map((s) => `${s.rule.limit};w=${Math.ceil(s.rule.windowMs / 1000)}`).join(' or '),
          `${p.quota};w=${p.windowSeconds}`,
        );
    }
  }
  judgeShared(j, step, reports, emit);
  judgeDecider(j, step, reports, emit);
  return out;
}

function judgeShared(j: JudgeContext, step: StepFacts, reports: LimitReports, emit: Emit): void {
  const reporters = sharedReporters(j, step.states);
  if (reporters.length === 0) return;
  const shared = reports.shared;
  if (!shared) {
    if (!reports.problems.length)
      emit(
        'format',
        `${stepWords(step)} carries none of the rate-limit headers the spec declares (${j.quote('/x-rate-limit/headers')}).`,
        'the budget headers',
        'none',
      );
    return;
  }
  const candidates = mayBeReported(step, reporters);
  const named = shared.name !== undefined ? step.states.findIndex((s) => s.applied.limit.name === shared.name) : -1;
  const byNumber = reporters.filter((i) => shared.limit === undefined || step.states[i]?.rule.limit === shared.limit);
  const matching = named >= 0 ? [named] : byNumber;
  if (matching.length === 0) {
    emit(
      'format',
      `${stepWords(step)} reports a limit of ${shared.limit}${shared.name ? ` named "${shared.name}"` : ''}, which is none of the limits of ${step.operation.label}: ${reporters.map((i) => limitWords(step.states[i] as LimitState)).join(', ')}.`,
      reporters.map((i) => String(step.states[i]?.rule.limit)).join(' or '),
      String(shared.limit),
    );
    return;
  }
  const chosen = matching.find((i) => candidates.includes(i));
  if (chosen === undefined) {
    const shown = step.states[matching[0] as number] as LimitState;
    const which = step.decider !== undefined && candidates.includes(step.decider) ? 'the limit that refused the request' : 'the limit closest to running out';
    emit(
      'decider',
      `${stepWords(step)} reports ${limitWords(shown)} (${rangeWords(shown.remaining)} left by the policy), but the headers must report ${which}: ${candidates.map((i) => `${limitWords(step.states[i] as LimitState)} with ${rangeWords((step.states[i] as LimitState).remaining)} left`).join(' or ')} (${j.quote('/x-rate-limit/headers')}).`,
      candidates.map((i) => step.states[i]?.applied.limit.name).join(' or '),
      shown.applied.limit.name,
    );
    return;
  }
  judgeLimitReading(j, step, reports, chosen, shared, emit);
}

function judgeDecider(j: JudgeContext, step: StepFacts, reports: LimitReports, emit: Emit): void {
  if (!reportsByName(j.format) && j.format.style !== 'named') return;
  if (step.observed.kind !== 'refused') return;
  const d = step.decider;
  for (const [i, reading] of reports.own) {
    const state = step.states[i] as LimitState;
    if (i === d || reading.remaining === undefined || state.unknown) continue;
    if (reading.remaining < state.applied.cost && state.remaining.lo >= state.applied.cost) {
      const decided = d === undefined ? '' : `; ${limitWords(step.states[d] as LimitState)} is the one that refused it`;
      emit(
        'decider',
        `${stepWords(step)} was refused, and its headers report ${limitWords(state)} as spent (${reading.remaining} left), but by the policy it had ${rangeWords(state.remaining)} left${decided} (${j.quote(state.applied.pointer)}).`,
        `${state.applied.limit.name}: ${rangeWords(state.remaining)} left`,
        `${state.applied.limit.name}: ${reading.remaining} left`,
      );
    }
  }
  if (d === undefined) return;
  const state = step.states[d] as LimitState;
  const own = reportsByName(j.format) || state.applied.limit.headers !== undefined;
  if (!state.applied.limit.report || !own) return;
  const reading = reports.own.get(d);
  if (!reading) {
    emit(
      'decider',
      `${stepWords(step)} was refused by ${limitWords(state)}, but its headers do not report ${state.applied.limit.name}: a client cannot tell which limit to wait for (${j.quote(state.applied.pointer)}).`,
      `"${state.applied.limit.name}" reported with less left than the request costs (${state.applied.cost})`,
      `reported: ${[...reports.own.keys()].map((k) => step.states[k]?.applied.limit.name).join(', ') || 'nothing'}`,
    );
  } else if (reading.remaining !== undefined && reading.remaining >= state.applied.cost) {
    emit(
      'decider',
      `${stepWords(step)} was refused by ${limitWords(state)}, but its headers report ${reading.remaining} left of it, room for the request (cost ${state.applied.cost}).`,
      `${state.applied.limit.name}: less than ${state.applied.cost} left`,
      `${state.applied.limit.name}: ${reading.remaining} left`,
    );
  }
}
