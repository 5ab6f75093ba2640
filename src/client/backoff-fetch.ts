import { AUTHMATECH_BACKOFF, type BackoffSchedule, backoffDelayMs, timerSleep } from './backoff-delay.js';
import type { FetchLike } from './recording-fetch.js';
import { attemptArgs, discard } from './request-parts.js';
import { readResponseBudget } from './response-budget.js';

/** What a retry hook hears before each wait. */
export interface RetryEvent {
  /** The retry about to happen, 1-based (attempt number minus one). */
  retry: number;
  delayMs: number;
  response: Response;
}

/** Options of `createBackoffFetch`; every number defaults to Authmatech's documented value. */
export interface BackoffFetchOptions extends Partial<BackoffSchedule> {
  fetch?: FetchLike;
  /** Total tries, the first included. Authmatech: "Cap attempts (e.g. 5)". Default 5. */
  maxAttempts?: number;
  /** Which responses to retry. Authmatech: "Retry 429 (and 500)"; default 429 and every 5xx. */
  retryOn?: (response: Response) => boolean;
  /** Wait at least a `retry-after` the server sends (Authmatech sends none). Default true. */
  honorRetryAfter?: boolean;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRetry?: (event: RetryEvent) => void;
}

const retryable = (response: Response) => response.status === 429 || response.status >= 500;

/**
 * Authmatech's reference retry policy around fetch: retry 429 and 5xx with exponential backoff
 * (1 s, 2 s, 4 s … capped at 60 s, ±100 ms jitter) for at most 5 attempts, then return the last response.
 * @example const fetchWithBackoff = createBackoffFetch({ maxAttempts: 4 }); await fetchWithBackoff(url, { headers });
 */
export function createBackoffFetch(options: BackoffFetchOptions = {}): FetchLike {
  const schedule: BackoffSchedule = {
    baseDelayMs: options.baseDelayMs ?? AUTHMATECH_BACKOFF.baseDelayMs,
    factor: options.factor ?? AUTHMATECH_BACKOFF.factor,
    maxDelayMs: options.maxDelayMs ?? AUTHMATECH_BACKOFF.maxDelayMs,
    jitterMs: options.jitterMs ?? AUTHMATECH_BACKOFF.jitterMs,
  };
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const retryOn = options.retryOn ?? retryable;
  const sleep = options.sleep ?? timerSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => Date.now());
  return async (input, init) => {
    for (let attempt = 1; ; attempt += 1) {
      const response = await (options.fetch ?? globalThis.fetch)(...attemptArgs(input, init));
      if (!retryOn(response) || attempt >= maxAttempts) return response;
      let delayMs = backoffDelayMs(schedule, attempt, random);
      if (options.honorRetryAfter ?? true) delayMs = Math.max(delayMs, readResponseBudget(response.headers, undefined, now()).retryAfterMs ?? 0);
      options.onRetry?.({ retry: attempt, delayMs, response });
      await discard(response);
      await sleep(delayMs);
    }
  };
}
