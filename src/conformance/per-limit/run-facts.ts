import { formatDurationLong } from '../../core/duration.js';
import type { HeaderFormat, Stacking } from '../../core/policy.js';
import type { Exchange } from '../conformance-check.js';
import type { BucketRule, UnitRange } from './budget-model.js';
import type { AppliedLimit, LimitedOperation } from './limit-model.js';
import type { Observed, Prediction } from './request-prediction.js';

/** What the suite expects of one limit right after a request: its budget as the policy has it. */
export interface LimitState {
  applied: AppliedLimit;
  rule: BucketRule;
  /** Units spent after the request, and what the limit must report as remaining. */
  spent: UnitRange;
  remaining: UnitRange;
  /** When its (fixed) window began, when the suite knows it. */
  windowStart?: UnitRange;
  /** Whether the suite could not know the budget's state at the start (an IP budget every principal shares). */
  unknown: boolean;
}

/** One request of a run and everything it is judged against. */
export interface StepFacts {
  exchange: Exchange;
  /** 1-based, in the run. */
  number: number;
  operation: LimitedOperation;
  states: LimitState[];
  prediction: Prediction;
  observed: Observed;
  /** The limit that refused it, when the suite can tell which one. */
  decider?: number;
}

/** What the judges need besides the step: the spec and how the policy reports. */
export interface JudgeContext {
  format: HeaderFormat;
  stacking: Stacking;
  /** `file#pointer: value` (see PolicyLimits.quote). */
  quote(pointer: string): string;
}

/** What a per-limit check reports when it fails; `kind` says which check it belongs to. */
export type ViolationKind = 'outcome' | 'remaining' | 'format' | 'decider' | 'rejection' | 'scope';

export interface Violation {
  kind: ViolationKind;
  summary: string;
  expected: string;
  actual: string;
  exchange?: Exchange;
}

/** `burst (3 per 1 second)`. */
export const limitWords = (state: Pick<LimitState, 'applied' | 'rule'>): string =>
  `${state.applied.limit.name} (${state.rule.limit} ${state.applied.limit.unit} per ${formatDurationLong(state.rule.windowMs)})`;

/** `2` or `2–3`. */
export const rangeWords = (range: UnitRange): string => (range.lo === range.hi ? String(range.lo) : `${range.lo}–${range.hi}`);

export const within = (value: number, range: UnitRange): boolean => value >= range.lo && value <= range.hi;

/** Where the request stands: `request 4 of burst's run (GET /v1/items)`. */
export const stepWords = (step: StepFacts): string => `request ${step.number} (${step.operation.label})`;
