import type { BudgetAlgorithm, Decision, LimitRule } from '../decision.js';

/** A window that starts at the key's first request, as @fastify/rate-limit and express-rate-limit do. */
export interface FixedWindowState {
  hits: number;
  startMs: number;
}

function decide(hits: number, startMs: number, rule: LimitRule, nowMs: number, allowed: boolean): Decision {
  const resetMs = Math.max(0, startMs + rule.windowMs - nowMs);
  return { allowed, limit: rule.limit, remaining: Math.max(0, rule.limit - hits), resetMs, retryAfterMs: allowed ? 0 : resetMs };
}

const isLive = (state: FixedWindowState | undefined, rule: LimitRule, nowMs: number): state is FixedWindowState =>
  state !== undefined && nowMs < state.startMs + rule.windowMs;

/**
 * Fixed window: a request of `cost` units fits while the window's hits plus the cost stay within the limit,
 * so request limit+1 (of cost 1) within the window is the first rejection. A rejected request is not
 * counted: its window stays as it was, which no response can tell apart from counting it.
 */
export const fixedWindow: BudgetAlgorithm<FixedWindowState> = {
  consume(state, rule, nowMs, cost = 1) {
    const live = isLive(state, rule, nowMs);
    const hits = live ? state.hits : 0;
    const startMs = live ? state.startMs : nowMs;
    if (hits + cost > rule.limit) return { state: undefined, decision: decide(hits, startMs, rule, nowMs, false) };
    return { state: { hits: hits + cost, startMs }, decision: decide(hits + cost, startMs, rule, nowMs, true) };
  },
  peek(state, rule, nowMs, cost = 1) {
    if (!isLive(state, rule, nowMs)) return decide(0, nowMs, rule, nowMs, cost <= rule.limit);
    return decide(state.hits, state.startMs, rule, nowMs, state.hits + cost <= rule.limit);
  },
  expiresAt: (state, rule) => state.startMs + rule.windowMs,
};
