// Judges whether each request was allowed or refused as the policy says: "The first limit, in order, that
// the request does not fit decides the rejection: its status, content type and body" (docs/x-rate-limit.md).
import { statusLine } from '../expectations.js';
import { type JudgeContext, type LimitState, limitWords, rangeWords, type StepFacts, stepWords, type Violation } from './run-facts.js';

const budgetWords = (state: LimitState) =>
  `${limitWords(state)}: ${rangeWords(state.remaining)} left${state.applied.cost === 1 ? '' : `, the request costs ${state.applied.cost}`}`;

/** What a request that costs more than one unit tells about a limit that let too much through. */
function costNote(j: JudgeContext, state: LimitState): string {
  const { cost } = state.applied;
  if (cost === 1) return '';
  return ` Each request costs ${cost} ${state.applied.limit.unit} here (${j.quote(state.applied.costPointer ?? state.applied.pointer)}): a server that spends fewer (one per request, say) lets more requests through.`;
}

/** The outcome violations of one step. */
export function judgeOutcome(j: JudgeContext, step: StepFacts): Violation[] {
  const { prediction, observed, exchange } = step;
  const out: Violation[] = [];
  const status = statusLine(exchange.response.status);
  const emit = (summary: string, expected: string) => out.push({ kind: 'outcome', summary, expected, actual: status, exchange });
  if (prediction.kind === 'allowed' && observed.kind === 'refused') {
    const by = observed.by.map((i) => step.states[i] as LimitState);
    emit(
      `${stepWords(step)} was refused with ${status} (the rejection of ${by.map((s) => s.applied.limit.name).join(' or ')}), but by the policy every limit had room for it: ${step.states.map(budgetWords).join('; ')}.`,
      'allowed',
    );
  }
  if (prediction.kind === 'refused') {
    const d = step.states[prediction.by] as LimitState;
    const expected = `${statusLine(d.applied.limit.rejection.status)} (the rejection of ${d.applied.limit.name}, ${j.quote(d.applied.rejectionPointer)})`;
    if (observed.kind === 'allowed') {
      emit(
        `${stepWords(step)} was allowed, but ${limitWords(d)} could not take it: with it, ${rangeWords(d.spent)} of ${d.rule.limit} ${d.applied.limit.unit} would be spent in one window (${j.quote(d.applied.pointer)}).${costNote(j, d)}`,
        expected,
      );
    } else if (!observed.by.includes(prediction.by)) {
      emit(
        `${stepWords(step)} was refused with ${status}, the rejection of ${observed.by.map((i) => step.states[i]?.applied.limit.name).join(' or ')}, but ${limitWords(d)} is the limit that ran out (${rangeWords(d.remaining)} left), so the request must get its rejection.`,
        expected,
      );
    }
  }
  if (prediction.kind === 'either' && observed.kind === 'refused' && !observed.by.some((i) => prediction.candidates.includes(i))) {
    emit(
      `${stepWords(step)} was refused with ${status}, the rejection of ${observed.by.map((i) => step.states[i]?.applied.limit.name).join(' or ')}, which had room for it; only ${prediction.candidates.map((i) => step.states[i]?.applied.limit.name).join(' or ')} could refuse it.`,
      prediction.candidates.map((i) => statusLine(step.states[i]?.applied.limit.rejection.status ?? 0)).join(' or '),
    );
  }
  return out;
}
