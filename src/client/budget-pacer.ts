import { DEFAULT_HEADER_NAMES } from '../core/headers/header-names.js';
import type { HeaderFormat } from '../core/policy.js';
import { timerSleep } from './backoff-delay.js';
import { type ClientPolicy, isRateLimited, readResponseBudget } from './response-budget.js';

/** What a pacing hook hears before a paced wait. */
export interface PaceEvent {
  remaining: number;
  resetInMs: number;
  delayMs: number;
  /** The limit that paces (its name when the response gives one). */
  limit?: string;
}

/** Options of `createBudgetPacer`. */
export interface BudgetPacerOptions {
  /** Pace once a budget's remaining is at most this; `false` never paces. Default 10 % of its limit. */
  belowRemaining?: number | false;
  /**
   * The spec's policy (`api.policy`, `loadRateLimitPolicy(file)`): its headers are read as it declares them
   * (`x-quota-*`, per-limit names, an epoch or duration reset, the IETF fields). Without it the common
   * families are read: x-ratelimit-*, RateLimit (draft-6/7/8/12), OpenAI's per-limit names.
   */
  policy?: ClientPolicy;
  /** Plain header names instead of a policy (the reset in seconds until it). */
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

interface Budget {
  remaining: number;
  threshold: number;
  resetAtMs: number;
  /** Requests spend one unit each; a budget of tokens is not counted down by the pacer. */
  countsRequests: boolean;
}

/** A policy of plain names, for the `headers` option. */
function namedPolicy(names: NonNullable<BudgetPacerOptions['headers']>): ClientPolicy {
  const format: HeaderFormat = {
    style: 'named',
    names: { ...DEFAULT_HEADER_NAMES, ...names },
    resetFormat: 'seconds',
    retryAfterFormat: 'seconds',
    partitionKey: false,
  };
  return { headers: format, limits: [] };
}

/**
 * Spreads what is left of each budget over what is left of its window. ReconLayer: "Watch
 * x-ratelimit-remaining proactively — slow down before you hit 0 rather than reacting only to 429s".
 * With `r` left and the window resetting in `t` ms, each request waits `t / (r + 1)`; at 0 left it waits
 * for the reset. Several limits (a burst and a quota; requests and tokens) are each paced, and the
 * longest wait wins. One pacer per budget (per organization's credentials), shared by its calls.
 * @example const pacer = createBudgetPacer({ policy: api.policy }); got(url, { hooks: { beforeRequest: [() => pacer.pace()], afterResponse: [(r) => (pacer.observe(r), r)] } });
 */
export function createBudgetPacer(options: BudgetPacerOptions = {}) {
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? timerSleep;
  const policy = options.policy ?? (options.headers ? namedPolicy(options.headers) : undefined);
  const budgets = new Map<string, Budget>();
  const pacer = {
    /** Reads the budget headers of a response (ignored when absent). */
    observe(response: ObservedResponse): void {
      const below = options.belowRemaining;
      if (below === false) return;
      const nowMs = now();
      const reading = readResponseBudget(response.headers, policy, nowMs);
      const status = response.status ?? response.statusCode ?? 0;
      // On a rejection, retry-after is the wait the server asked for; the retry already sleeps it.
      const waitMs = isRateLimited(status, reading, policy) ? reading.retryAfterMs : undefined;
      reading.limits.forEach((limit, i) => {
        const resetMs = limit.remaining === 0 && waitMs !== undefined ? waitMs : limit.resetMs;
        if (limit.remaining === undefined || resetMs === undefined) return;
        const threshold = below ?? (limit.limit === undefined ? 0 : Math.ceil(limit.limit * 0.1));
        const countsRequests = limit.unit === undefined || limit.unit === 'requests';
        budgets.set(limit.name ?? `#${i}`, { remaining: limit.remaining, threshold, resetAtMs: nowMs + resetMs, countsRequests });
      });
    },
    /** How long to wait before the next request; 0 while every budget is comfortable. */
    waitMs(): number {
      let longest = 0;
      let event: PaceEvent | undefined;
      const nowMs = now();
      for (const [name, budget] of budgets) {
        if (budget.remaining > budget.threshold) continue;
        const resetInMs = Math.max(0, budget.resetAtMs - nowMs);
        const delayMs = Math.ceil(resetInMs / (budget.remaining + 1));
        if (delayMs > longest) {
          longest = delayMs;
          event = { remaining: budget.remaining, resetInMs, delayMs, limit: name.startsWith('#') ? undefined : name };
        }
      }
      if (event) options.onPace?.(event);
      return longest;
    },
    /** Waits `waitMs()`, then counts the request it lets through against the budgets of requests. */
    async pace(): Promise<void> {
      const delayMs = pacer.waitMs();
      if (delayMs > 0) await sleep(delayMs);
      for (const budget of budgets.values()) if (budget.countsRequests && budget.remaining > 0) budget.remaining -= 1;
    },
  };
  return pacer;
}
