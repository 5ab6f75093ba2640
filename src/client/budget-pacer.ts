/** What a pacing hook hears before a paced wait. */
export interface PaceEvent {
  remaining: number;
  resetInMs: number;
  delayMs: number;
}

/** Options of `createBudgetPacer`. */
export interface BudgetPacerOptions {
  /** Pace once remaining is at most this; `false` never paces. Default 10 % of `x-ratelimit-limit`. */
  belowRemaining?: number | false;
  now?: () => number;
  onPace?: (event: PaceEvent) => void;
}

const headerNumber = (response: Response, name: string): number | undefined => {
  const text = response.headers.get(name);
  if (text === null || !/^\s*\d+\s*$/.test(text)) return undefined;
  return Number(text);
};

/**
 * Spreads what is left of a budget over what is left of the window. ReconLayer: "Watch
 * x-ratelimit-remaining proactively — slow down before you hit 0 rather than reacting only to 429s".
 * With `r` requests left and the window resetting in `t` ms, each request waits `t / (r + 1)`; at 0 left
 * it waits for the reset.
 */
export function createBudgetPacer(options: BudgetPacerOptions = {}) {
  const now = options.now ?? (() => Date.now());
  let budget: { remaining: number; threshold: number; resetAtMs: number } | undefined;
  return {
    /** Reads the budget headers of a response (ignored when absent). */
    observe(response: Response): void {
      if (options.belowRemaining === false) return;
      const remaining = headerNumber(response, 'x-ratelimit-remaining');
      // On a 429, retry-after is the wait the server asked for; the retry already sleeps it.
      const resetSeconds = (response.status === 429 ? headerNumber(response, 'retry-after') : undefined) ?? headerNumber(response, 'x-ratelimit-reset');
      if (remaining === undefined || resetSeconds === undefined) return;
      const limit = headerNumber(response, 'x-ratelimit-limit');
      const threshold = options.belowRemaining ?? (limit === undefined ? 0 : Math.ceil(limit * 0.1));
      budget = { remaining, threshold, resetAtMs: now() + resetSeconds * 1000 };
    },
    /** How long to wait before the next request; 0 while the budget is comfortable. */
    waitMs(): number {
      if (!budget || budget.remaining > budget.threshold) return 0;
      const resetInMs = Math.max(0, budget.resetAtMs - now());
      const delayMs = Math.ceil(resetInMs / (budget.remaining + 1));
      if (delayMs > 0) options.onPace?.({ remaining: budget.remaining, resetInMs, delayMs });
      return delayMs;
    },
  };
}
