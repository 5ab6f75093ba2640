/** What the limiter decided for one request. All times are milliseconds. */
export interface Decision {
  allowed: boolean;
  limit: number;
  /** Units left in the current window: after this request's when it was allowed, as they stand when it was not. */
  remaining: number;
  /** Time until the budget resets (the window ends, or the bucket is full again). */
  resetMs: number;
  /** On a rejection: the time until a request would be allowed again. */
  retryAfterMs: number;
}

/** The rule an algorithm applies. */
export interface LimitRule {
  limit: number;
  windowMs: number;
}

/**
 * One budget algorithm as a pure step function: the state stored for a key (undefined when none), the
 * time and the units a request costs in; the decision, and the state to store when the request was
 * allowed, out. A rejected request changes nothing, so `state` is undefined then. `peek` reads without
 * spending: `allowed` says whether `cost` more units would fit. Stores keep the states; a Redis store runs
 * the same arithmetic in a script.
 */
export interface BudgetAlgorithm<State> {
  consume(state: State | undefined, rule: LimitRule, nowMs: number, cost?: number): { state: State | undefined; decision: Decision };
  peek(state: State | undefined, rule: LimitRule, nowMs: number, cost?: number): Decision;
  /** When the state can be dropped because it no longer limits anything. */
  expiresAt(state: State, rule: LimitRule): number;
}
