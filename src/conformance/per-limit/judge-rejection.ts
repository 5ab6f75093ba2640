// Judges a refusal against the refusing limit's declared rejection (its `rejection`, over the root's):
// content type, body (shape, and the wording of its placeholders), and retry-after (present when the
// limit says so, in the declared format, within the window).
import { formatDurationLong } from '../../core/duration.js';
import { headerGetter } from '../../core/headers/header-getter.js';
import { readRetryAfter, retryAfterHasFormat } from '../../core/headers/time-values.js';
import { compareToTemplate, type TemplateValues, templatePattern } from '../rejection-template.js';
import { type JudgeContext, type LimitState, limitWords, type StepFacts, stepWords, type Violation } from './run-facts.js';

const RETRY_SLACK_MS = 2_000;

/** The seconds `{after}` may read: around retry-after, and the time left of a fixed window the suite saw begin. */
function afterSeconds(state: LimitState, step: StepFacts, retryAfterMs: number | undefined): number[] | undefined {
  const seconds = new Set<number>();
  if (retryAfterMs !== undefined) for (const s of [-1, 0, 1].map((d) => Math.round(retryAfterMs / 1000) + d)) if (s >= 0) seconds.add(s);
  const W = state.rule.windowMs;
  const start = state.windowStart;
  if (start && !state.unknown) {
    const low = Math.max(0, Math.floor((start.lo + W - step.exchange.receivedAtMs) / 1000) - 1);
    const high = Math.ceil((start.hi + W - step.exchange.sentAtMs) / 1000);
    for (let s = low; s <= high && s - low < 100; s += 1) seconds.add(s);
  }
  seconds.add(Math.ceil(W / 1000));
  if (seconds.size <= 1 && W > 100_000) return undefined;
  if (seconds.size <= 1) for (let s = 0; s <= Math.ceil(W / 1000); s += 1) seconds.add(s);
  return [...seconds].sort((a, b) => b - a);
}

/** Judges the refusal of `step` by its decider. */
export function judgeRejection(j: JudgeContext, step: StepFacts): Violation[] {
  const d = step.decider;
  if (step.observed.kind !== 'refused' || d === undefined) return [];
  const state = step.states[d] as LimitState;
  const out: Violation[] = [];
  const { exchange } = step;
  const emit = (summary: string, expected: string, actual: string) => out.push({ kind: 'rejection', summary, expected, actual, exchange });
  const rejection = state.applied.limit.rejection;
  const at = j.quote(state.applied.rejectionPointer);
  const named = limitWords(state);
  // Content type.
  const expectedType = rejection.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const actualType = exchange.response.headers['content-type'];
  if (actualType?.split(';')[0]?.trim().toLowerCase() !== expectedType) {
    emit(
      `${stepWords(step)} was refused by ${named} as ${actualType ?? 'no content type'}, not ${expectedType} (its rejection: ${at}).`,
      `content-type: ${rejection.contentType}`,
      actualType === undefined ? 'no content-type header' : `content-type: ${actualType}`,
    );
  }
  // retry-after.
  const name = j.format.names.retryAfter;
  const raw = name ? headerGetter(exchange.response.headers)(name) : undefined;
  const retryAfterMs = raw === undefined ? undefined : readRetryAfter(raw, exchange.receivedAtMs);
  const longest = Math.max(...step.states.map((s) => s.rule.windowMs));
  if (name && rejection.retryAfter) {
    const W = state.rule.windowMs;
    const start = state.windowStart;
    const leftMs = start && !state.unknown ? start.lo + W - exchange.receivedAtMs : undefined;
    const expected = `${name}: ${j.format.retryAfterFormat === 'seconds' ? 'whole seconds' : 'an HTTP-date'} until ${state.applied.limit.name} has room again, at most ${Math.ceil(longest / 1000)} s`;
    if (raw === undefined)
      emit(`${stepWords(step)} was refused by ${named} without ${name}, so a client cannot tell how long to wait (${at}).`, expected, `no ${name}`);
    else if (!retryAfterHasFormat(j.format.retryAfterFormat, raw))
      emit(
        `${stepWords(step)} carries ${name}: ${raw}, which is not ${j.format.retryAfterFormat === 'seconds' ? 'delay-seconds' : 'an HTTP-date'} as declared (${j.quote('/x-rate-limit/headers')}).`,
        expected,
        `${name}: ${raw}`,
      );
    else if (retryAfterMs !== undefined && retryAfterMs > longest + RETRY_SLACK_MS)
      emit(
        `${stepWords(step)} carries ${name}: ${raw}, longer than the longest window of its limits (${formatDurationLong(longest)}).`,
        expected,
        `${name}: ${raw}`,
      );
    else if (retryAfterMs !== undefined && leftMs !== undefined && retryAfterMs < leftMs - RETRY_SLACK_MS)
      emit(
        `${stepWords(step)} carries ${name}: ${raw}, but about ${Math.floor(leftMs / 1000)} s of ${named}'s window were left: a client that obeys it retries too early.`,
        expected,
        `${name}: ${raw}`,
      );
  } else if (name && raw !== undefined) {
    emit(
      `${stepWords(step)} was refused by ${named} with ${name}: ${raw}, but its rejection sends none (${at}: rejection.retryAfter is false).`,
      `no ${name}`,
      `${name}: ${raw}`,
    );
  }
  // Body.
  const values: TemplateValues = {
    name: [state.applied.limit.name],
    limit: [String(state.rule.limit)],
    window: [formatDurationLong(state.rule.windowMs)],
  };
  const seconds = afterSeconds(state, step, retryAfterMs);
  if (seconds) {
    values.after = [...new Set(seconds.map((s) => formatDurationLong(s * 1000)))];
    values.retryAfterSeconds = seconds.map(String);
  }
  const template = rejection.body;
  const text = exchange.response.text;
  let problems: string[];
  if (typeof template === 'string')
    problems = templatePattern(template, values).test(text) ? [] : [`expected ${JSON.stringify(template)}, got ${JSON.stringify(text.slice(0, 200))}`];
  else {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    problems =
      body === undefined
        ? ['the body is not JSON']
        : [...compareToTemplate(template, body, values, 'shape'), ...compareToTemplate(template, body, values, 'placeholders')];
  }
  if (problems.length > 0)
    emit(
      `${stepWords(step)} was refused by ${named}, but its body is not the declared one: ${[...new Set(problems)].join('; ')} (${at}).`,
      typeof template === 'string' ? template : JSON.stringify(template),
      text.slice(0, 300),
    );
  return out;
}
