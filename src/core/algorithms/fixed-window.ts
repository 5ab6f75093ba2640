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

/** Fixed window: every request counts, so request limit+1 within the window is the first rejection. */
export const fixedWindow: BudgetAlgorithm<FixedWindowState> = {
  consume(state, rule, nowMs) {
    const next = isLive(state, rule, nowMs) ? { hits: state.hits + 1, startMs: state.startMs } : { hits: 1, startMs: nowMs };
    return { state: next, decision: decide(next.hits, next.startMs, rule, nowMs, next.hits <= rule.limit) };
  },
  peek(state, rule, nowMs) {
    if (!isLive(state, rule, nowMs)) return decide(0, nowMs, rule, nowMs, true);
    return decide(state.hits, state.startMs, rule, nowMs, state.hits < rule.limit);
  },
  expiresAt: (state, rule) => state.startMs + rule.windowMs,
};
