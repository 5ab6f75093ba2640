/** What the limiter decided for one request. All times are milliseconds. */
export interface Decision {
  allowed: boolean;
  limit: number;
  /** Requests left in the current window after this one (0 when rejected). */
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
 * One budget algorithm as a pure step function: the state stored for a key (undefined when none) and
 * the time in, the next state and the decision out. `peek` reads without spending. Stores keep the
 * states; a Redis store would run the same arithmetic in a script.
 */
export interface BudgetAlgorithm<State> {
  consume(state: State | undefined, rule: LimitRule, nowMs: number): { state: State; decision: Decision };
  peek(state: State | undefined, rule: LimitRule, nowMs: number): Decision;
  /** When the state can be dropped because it no longer limits anything. */
  expiresAt(state: State, rule: LimitRule): number;
}
