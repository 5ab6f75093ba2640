// Judges which limit a response presents as the one that decides: where one set of headers serves several
// limits, the one that refused, else the one closest to running out (docs/x-rate-limit.md, "How several
// limits decide"); on a refusal, the refusing limit reported as spent and no other.

import { type Emit, judgeLimitReading } from './judge-reading.js';
import { hasSharedNames, type LimitReports, reportsByName } from './limit-reports.js';
import { type JudgeContext, type LimitState, limitWords, rangeWords, type StepFacts, stepWords } from './run-facts.js';

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

/** Matches the shared set of headers to the limit it must report, and judges what it reports of it. */
export function judgeShared(j: JudgeContext, step: StepFacts, reports: LimitReports, emit: Emit): void {
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

/** On a refusal: the limit that refused is reported as spent, and no limit with room is. */
export function judgeDecider(j: JudgeContext, step: StepFacts, reports: LimitReports, emit: Emit): void {
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
