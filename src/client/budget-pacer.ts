import { timerSleep } from './backoff-delay.js';

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
  /** Header names; default `x-ratelimit-remaining`, `x-ratelimit-reset` (seconds until reset) and `x-ratelimit-limit`. */
  headers?: { remaining?: string; reset?: string; limit?: string };
  now?: () => number;
  /** What `pace()` waits with; default `setTimeout`, so fake timers control it. */
  sleep?: (ms: number) => Promise<void>;
  onPace?: (event: PaceEvent) => void;
}

/**
 * A response as any client exposes it: fetch's `Response`, got's and undici's `{ statusCode, headers }`,
 * axios's `{ status, headers }` (headers as `Headers`, an object, or anything with `get`).
 */
export interface ObservedResponse {
  status?: number;
  statusCode?: number;
  headers: { get(name: string): string | null | undefined } | Record<string, unknown>;
}

function headerNumber(response: ObservedResponse, name: string): number | undefined {
  const headers = response.headers as { get?: unknown } & Record<string, unknown>;
  const raw = typeof headers.get === 'function' ? (headers.get as (n: string) => unknown)(name) : (headers[name] ?? headers[name.toLowerCase()]);
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (typeof text !== 'string' && typeof text !== 'number') return undefined;
  return /^\s*\d+\s*$/.test(String(text)) ? Number(text) : undefined;
}

/**
 * Spreads what is left of a budget over what is left of the window. ReconLayer: "Watch
 * x-ratelimit-remaining proactively — slow down before you hit 0 rather than reacting only to 429s".
 * With `r` requests left and the window resetting in `t` ms, each request waits `t / (r + 1)`; at 0 left
 * it waits for the reset. One pacer per budget (per organization's credentials), shared by its calls.
 * @example const pacer = createBudgetPacer(); got(url, { hooks: { beforeRequest: [() => pacer.pace()], afterResponse: [(r) => (pacer.observe(r), r)] } });
 */
export function createBudgetPacer(options: BudgetPacerOptions = {}) {
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? timerSleep;
  const names = { remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', limit: 'x-ratelimit-limit', ...options.headers };
  let budget: { remaining: number; threshold: number; resetAtMs: number } | undefined;
  const pacer = {
    /** Reads the budget headers of a response (ignored when absent). */
    observe(response: ObservedResponse): void {
      if (options.belowRemaining === false) return;
      const remaining = headerNumber(response, names.remaining);
      // On a 429, retry-after is the wait the server asked for; the retry already sleeps it.
      const status = response.status ?? response.statusCode;
      const resetSeconds = (status === 429 ? headerNumber(response, 'retry-after') : undefined) ?? headerNumber(response, names.reset);
      if (remaining === undefined || resetSeconds === undefined) return;
      const limit = headerNumber(response, names.limit);
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
    /** Waits `waitMs()`, then counts the request it lets through against the budget. */
    async pace(): Promise<void> {
      const delayMs = pacer.waitMs();
      if (delayMs > 0) await sleep(delayMs);
      if (budget && budget.remaining > 0) budget.remaining -= 1;
    },
  };
  return pacer;
}
