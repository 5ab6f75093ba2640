import type { BudgetAlgorithm, Decision, LimitRule } from '../decision.js';

/**
 * The accepted requests' times, oldest first, in a ring: entry i (0 ≤ i < count) is
 * `times[(head + i) % times.length]`. The log is exact (a rolling window must know when each accepted
 * request leaves it), so it holds at most `limit` entries: memory per key is bounded by 8 bytes × limit,
 * and by 8 bytes × the requests accepted in the last window, which is what a quiet key pays.
 */
export interface SlidingWindowState {
  times: number[];
  head: number;
  count: number;
}

/** Smallest ring allocated, and the size below which a sparse ring is not shrunk. */
const MIN_RING = 4;

/** Drops the entries that left the window (amortised O(1): each entry is dropped once). */
function dropExpired(state: SlidingWindowState, rule: LimitRule, nowMs: number): void {
  const from = nowMs - rule.windowMs;
  const size = state.times.length;
  while (state.count > 0 && (state.times[state.head] ?? 0) <= from) {
    state.head = state.head + 1 === size ? 0 : state.head + 1;
    state.count -= 1;
  }
  if (state.count === 0) state.head = 0;
}

/** Copies the live entries, oldest first, into a ring of `size` (growing by doubling, shrinking by half). */
function resize(state: SlidingWindowState, size: number): void {
  const times: number[] = [];
  for (let i = 0; i < state.count; i += 1) times.push(state.times[(state.head + i) % state.times.length] ?? 0);
  for (let i = state.count; i < size; i += 1) times.push(0);
  state.times = times;
  state.head = 0;
}

/** The time at which the i-th oldest logged request (0-based) leaves the window. */
const leavesAt = (state: SlidingWindowState, rule: LimitRule, i: number): number => (state.times[(state.head + i) % state.times.length] ?? 0) + rule.windowMs;

function decide(state: SlidingWindowState, rule: LimitRule, nowMs: number, allowed: boolean, cost: number): Decision {
  const resetMs = state.count === 0 ? 0 : Math.max(0, leavesAt(state, rule, 0) - nowMs);
  let retryAfterMs = 0;
  if (!allowed) {
    // `cost` fits once enough of the oldest requests have left: the (count + cost − limit)-th oldest; a
    // cost above the limit never fits, and waits for the whole log to leave.
    const leaving = Math.min(state.count, state.count + cost - rule.limit);
    retryAfterMs = leaving <= 0 ? rule.windowMs : Math.max(0, leavesAt(state, rule, leaving - 1) - nowMs);
  }
  return { allowed, limit: rule.limit, remaining: Math.max(0, rule.limit - state.count), resetMs, retryAfterMs };
}

/**
 * Sliding (rolling) window: at most `limit` accepted units in any span of `windowMs` (a request of cost
 * n logs n entries). Rejections are not logged. O(1) amortised per request: the state is a ring the step updates in place (the store owns
 * it), where the previous log was copied whole on every accepted request (O(limit)).
 */
export const slidingWindow: BudgetAlgorithm<SlidingWindowState> = {
  consume(state, rule, nowMs, cost = 1) {
    const s = state ?? { times: [], head: 0, count: 0 };
    dropExpired(s, rule, nowMs);
    if (s.count + cost > rule.limit) return { state: undefined, decision: decide(s, rule, nowMs, false, cost) };
    const needed = s.count + cost;
    if (needed > s.times.length) resize(s, Math.max(MIN_RING, Math.min(rule.limit, Math.max(s.times.length * 2, needed))));
    else if (s.times.length > MIN_RING && s.count < s.times.length / 4 && needed <= s.times.length / 2) resize(s, s.times.length / 2);
    for (let i = 0; i < cost; i += 1) s.times[(s.head + s.count + i) % s.times.length] = nowMs;
    s.count = needed;
    return { state: s, decision: decide(s, rule, nowMs, true, cost) };
  },
  peek(state, rule, nowMs, cost = 1) {
    if (!state) return decide({ times: [], head: 0, count: 0 }, rule, nowMs, cost <= rule.limit, cost);
    dropExpired(state, rule, nowMs);
    return decide(state, rule, nowMs, state.count + cost <= rule.limit, cost);
  },
  expiresAt: (state, rule) => (state.count > 0 ? (state.times[(state.head + state.count - 1) % state.times.length] ?? 0) : 0) + rule.windowMs,
};
