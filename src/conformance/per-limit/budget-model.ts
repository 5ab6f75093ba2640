// What the suite can know about one budget on a server it does not control: the units spent, as a range,
// from the times its requests were sent and answered (the server acted somewhere in between). Windows
// start at a key's first request (fixed-window), log each accepted unit (sliding-window), or refill evenly
// (token-bucket), as docs/x-rate-limit.md defines the algorithms. A request's outcome narrows the range:
// an allowed request fit, a refused one did not.
import type { Algorithm } from '../../core/policy.js';

/** When a request was sent and answered on the budget clock: the server handled it in between. */
export interface Span {
  sentAtMs: number;
  receivedAtMs: number;
}

/** Units a budget may have spent: every value in [lo, hi] is possible. */
export interface UnitRange {
  lo: number;
  hi: number;
}

/** The rule a budget runs under, as the caller meets it (a fallbackLimit already applied). */
export interface BucketRule {
  limit: number;
  windowMs: number;
  algorithm: Algorithm;
}

/** What a request did to one budget: spent its cost, did not fit, or may have spent it. */
export type BucketOutcome = 'spent' | 'refused' | 'maybe';

/** One budget as the suite follows it. */
export interface BucketModel {
  readonly rule: BucketRule;
  /** Units spent when a request at `span` reached the server (before its own cost). */
  spentAt(span: Span): UnitRange;
  /** Records what the request at `span` did to this budget. */
  record(span: Span, outcome: BucketOutcome, cost: number): void;
  /** The earliest time at which `cost` units surely fit again (`nowMs` when they fit now; Infinity when never). */
  roomAt(cost: number, nowMs: number): number;
  /** When the current window surely began, if the budget is a fixed window whose start is known (else undefined). */
  windowStart(): UnitRange | undefined;
}

/** Whether `cost` units fit a budget that has spent `spent` of `limit`: surely, surely not, or maybe. */
export type Fit = 'fits' | 'fails' | 'maybe';

export function fitOf(spent: UnitRange, limit: number, cost: number): Fit {
  if (cost === 0) return 'fits';
  if (spent.hi + cost <= limit) return 'fits';
  if (spent.lo + cost > limit) return 'fails';
  return 'maybe';
}

/**
 * Narrows the range by the outcome, then adds what was spent. `whole`: units are counted whole (a refusal
 * means more than limit − cost were spent); a token bucket's are real numbers (at least limit − cost).
 */
function apply(range: UnitRange, limit: number, outcome: BucketOutcome, cost: number, whole = true): UnitRange {
  if (outcome === 'maybe') return { lo: range.lo, hi: range.hi + cost };
  if (outcome === 'refused') {
    const lo = Math.min(range.hi, Math.max(range.lo, limit - cost + (whole ? 1 : 0)));
    return { lo, hi: range.hi };
  }
  // It fit: at most limit − cost had been spent. A server that allowed more is judged elsewhere; trust it here.
  const hi = Math.max(range.lo, Math.min(range.hi, limit - cost));
  return { lo: range.lo + cost, hi: hi + cost };
}

function fixedWindow(rule: BucketRule, marginMs: number, unknownUntilMs: number | undefined): BucketModel {
  const W = rule.windowMs;
  let spent: UnitRange = unknownUntilMs === undefined ? { lo: 0, hi: 0 } : { lo: 0, hi: rule.limit };
  // When the current window began: no earlier than lo, no later than hi (undefined: none is open).
  let start: UnitRange | undefined = unknownUntilMs === undefined ? undefined : { lo: Number.NEGATIVE_INFINITY, hi: unknownUntilMs };
  const phase = (span: Span): 'same' | 'new' | 'maybe-new' => {
    if (!start) return 'new';
    if (span.receivedAtMs < start.lo + W) return 'same';
    return span.sentAtMs >= start.hi + W + marginMs ? 'new' : 'maybe-new';
  };
  return {
    rule,
    spentAt(span) {
      const p = phase(span);
      return p === 'same' ? spent : p === 'new' ? { lo: 0, hi: 0 } : { lo: 0, hi: spent.hi };
    },
    record(span, outcome, cost) {
      const p = phase(span);
      if (p === 'new') {
        // A refused request opens no window; one that may have spent may have opened it (or a later one will).
        spent = { lo: 0, hi: 0 };
        if (outcome === 'refused') {
          start = undefined;
          return;
        }
        start = { lo: span.sentAtMs, hi: outcome === 'maybe' ? Number.POSITIVE_INFINITY : span.receivedAtMs };
      } else if (p === 'maybe-new' && start) {
        // Either the old window goes on, or it ended and this request (if it spent) began a new one: later
        // requests that are surely in the old one are surely in the new one too, since it ends later.
        if (outcome === 'spent') start = { lo: start.lo, hi: span.receivedAtMs };
        else if (outcome === 'maybe') start = { lo: start.lo, hi: Number.POSITIVE_INFINITY };
        spent = { lo: 0, hi: spent.hi };
      }
      spent = apply(spent, rule.limit, outcome, cost);
    },
    roomAt(cost, nowMs) {
      if (cost > rule.limit) return Number.POSITIVE_INFINITY;
      const now = this.spentAt({ sentAtMs: nowMs, receivedAtMs: nowMs });
      if (now.hi + cost <= rule.limit || !start) return nowMs;
      return Number.isFinite(start.hi) ? Math.max(nowMs, start.hi + W + marginMs) : Number.POSITIVE_INFINITY;
    },
    windowStart: () => (start && Number.isFinite(start.lo) && Number.isFinite(start.hi) ? start : undefined),
  };
}

function tokenBucket(rule: BucketRule, marginMs: number, unknownUntilMs: number | undefined): BucketModel {
  const rate = rule.limit / rule.windowMs;
  // Spent = limit − tokens, a real number; `at` is when it was last updated.
  let spent: UnitRange = unknownUntilMs === undefined ? { lo: 0, hi: 0 } : { lo: 0, hi: rule.limit };
  let at: Span | undefined = unknownUntilMs === undefined ? undefined : { sentAtMs: unknownUntilMs, receivedAtMs: unknownUntilMs };
  const spentAt = (span: Span): UnitRange => {
    if (!at) return spent;
    const longest = Math.max(0, span.receivedAtMs - at.sentAtMs);
    const shortest = Math.max(0, span.sentAtMs - at.receivedAtMs);
    return { lo: Math.max(0, spent.lo - longest * rate), hi: Math.max(0, spent.hi - shortest * rate) };
  };
  return {
    rule,
    spentAt,
    record(span, outcome, cost) {
      spent = apply(spentAt(span), rule.limit, outcome, cost, false);
      at = span;
    },
    roomAt(cost, nowMs) {
      if (cost > rule.limit) return Number.POSITIVE_INFINITY;
      const now = spentAt({ sentAtMs: nowMs, receivedAtMs: nowMs });
      if (now.hi + cost <= rule.limit || !at) return nowMs;
      return Math.max(nowMs, at.receivedAtMs + (spent.hi + cost - rule.limit) / rate + marginMs);
    },
    windowStart: () => undefined,
  };
}

interface LoggedUnits extends Span {
  units: UnitRange;
}

function slidingWindow(rule: BucketRule, marginMs: number, unknownUntilMs: number | undefined): BucketModel {
  const W = rule.windowMs;
  const log: LoggedUnits[] =
    unknownUntilMs === undefined ? [] : [{ sentAtMs: Number.NEGATIVE_INFINITY, receivedAtMs: unknownUntilMs, units: { lo: 0, hi: rule.limit } }];
  const spentAt = (span: Span): UnitRange => {
    let lo = 0;
    let hi = 0;
    for (const entry of log) {
      // An entry logged at t counts while t > now − W; the server's now is within the span.
      if (entry.sentAtMs > span.receivedAtMs - W) lo += entry.units.lo;
      if (entry.receivedAtMs > span.sentAtMs - W) hi += entry.units.hi;
    }
    return { lo, hi };
  };
  return {
    rule,
    spentAt,
    record(span, outcome, cost) {
      if (outcome === 'refused' || cost === 0) return;
      log.push({ ...span, units: { lo: outcome === 'spent' ? cost : 0, hi: cost } });
    },
    roomAt(cost, nowMs) {
      if (cost > rule.limit) return Number.POSITIVE_INFINITY;
      const times = [nowMs, ...log.map((e) => e.receivedAtMs + W + marginMs)].filter((t) => t >= nowMs).sort((a, b) => a - b);
      return times.find((t) => spentAt({ sentAtMs: t, receivedAtMs: t }).hi + cost <= rule.limit) ?? Number.POSITIVE_INFINITY;
    },
    windowStart: () => undefined,
  };
}

/**
 * Creates the model of one budget. `unknownSinceMs` (the budget's state is not known to the suite, e.g. an
 * IP budget shared by every principal): anything in [0, limit] may be spent, in a window that began by then.
 */
export function createBucketModel(rule: BucketRule, marginMs: number, unknownSinceMs?: number): BucketModel {
  if (rule.algorithm === 'token-bucket') return tokenBucket(rule, marginMs, unknownSinceMs);
  if (rule.algorithm === 'sliding-window') return slidingWindow(rule, marginMs, unknownSinceMs);
  return fixedWindow(rule, marginMs, unknownSinceMs);
}

/**
 * What a budget reports as remaining, as a range: limit − spent, floored (a token bucket reports whole
 * tokens), never below 0.
 */
export function remainingRange(rule: BucketRule, spent: UnitRange): UnitRange {
  // A token bucket's real-valued tokens: a rounding error must not move a bound past a whole number.
  const slack = rule.algorithm === 'token-bucket' ? 1e-6 : 0;
  return { lo: Math.max(0, Math.floor(rule.limit - spent.hi - slack)), hi: Math.max(0, Math.floor(rule.limit - spent.lo + slack)) };
}
