// Judges one response's rate-limit headers against the policy: their form per the declared style, what
// each limit reports (judge-reading.ts), and which limit they present as deciding (judge-decider.ts).
import { judgeDecider, judgeShared } from './judge-decider.js';
import { type Emit, judgeLimitReading } from './judge-reading.js';
import { readLimitReports, reportsByName } from './limit-reports.js';
import { type JudgeContext, limitWords, type StepFacts, stepWords, type Violation } from './run-facts.js';

/** Whether a limit's own report may be missing: a stacked limit after the refusing one never ran. */
function mayBeSilent(j: JudgeContext, step: StepFacts, i: number): boolean {
  if (step.observed.kind !== 'refused' || j.stacking !== 'in-order') return false;
  return i > Math.min(...step.observed.by);
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
