import type { BudgetAlgorithm, Decision, LimitRule } from '../decision.js';

/** A sliding log of the accepted requests' times, oldest first (at most `limit` entries). */
export interface SlidingWindowState {
  acceptedMs: number[];
}

function live(state: SlidingWindowState | undefined, rule: LimitRule, nowMs: number): number[] {
  if (!state) return [];
  const from = nowMs - rule.windowMs;
  let first = 0;
  while (first < state.acceptedMs.length && (state.acceptedMs[first] ?? 0) <= from) first += 1;
  return first === 0 ? state.acceptedMs : state.acceptedMs.slice(first);
}

function decide(accepted: number[], rule: LimitRule, nowMs: number, allowed: boolean): Decision {
  const oldest = accepted[0];
  const resetMs = oldest === undefined ? 0 : Math.max(0, oldest + rule.windowMs - nowMs);
  return {
    allowed,
    limit: rule.limit,
    remaining: Math.max(0, rule.limit - accepted.length),
    resetMs,
    retryAfterMs: allowed ? 0 : resetMs,
  };
}

/** Sliding (rolling) window: at most `limit` accepted requests in any span of `windowMs`. Rejections are not logged. */
export const slidingWindow: BudgetAlgorithm<SlidingWindowState> = {
  consume(state, rule, nowMs) {
    const accepted = live(state, rule, nowMs);
    if (accepted.length >= rule.limit) return { state: { acceptedMs: accepted }, decision: decide(accepted, rule, nowMs, false) };
    const next = [...accepted, nowMs];
    return { state: { acceptedMs: next }, decision: decide(next, rule, nowMs, true) };
  },
  peek(state, rule, nowMs) {
    const accepted = live(state, rule, nowMs);
    return decide(accepted, rule, nowMs, accepted.length < rule.limit);
  },
  expiresAt: (state, rule) => (state.acceptedMs[state.acceptedMs.length - 1] ?? 0) + rule.windowMs,
};
