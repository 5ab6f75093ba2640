import { randomUUID } from 'node:crypto';
import { AUTHMATECH_BACKOFF, type BackoffSchedule, backoffDelayMs, timerSleep } from './backoff-delay.js';
import type { RetryEvent } from './backoff-fetch.js';
import { createBudgetPacer, type PaceEvent } from './budget-pacer.js';
import type { FetchLike } from './recording-fetch.js';
import { attemptArgs, discard, IDEMPOTENT_METHODS, requestParts } from './request-parts.js';
import { type ClientPolicy, isRateLimited, readResponseBudget, rejectionWaitMs } from './response-budget.js';

/** Options of `createRetryAfterFetch`. */
export interface RetryAfterFetchOptions {
  fetch?: FetchLike;
  /** Total tries, the first included. Default 5. */
  maxAttempts?: number;
  /** Give up and return the 429 when the server asks to wait longer than this. Default 120 000 (two windows). */
  maxRetryAfterMs?: number;
  /** Extra wait after `retry-after`, uniform in [0, n) ms, so a fleet does not return in lockstep. Default 100. */
  retryAfterJitterMs?: number;
  /** Backoff for retryable answers without `retry-after` (5xx). Default 1 s, ×2, cap 60 s, ±100 ms. */
  fallback?: Partial<BackoffSchedule>;
  /**
   * `generate` (default): a POST or PATCH without an Idempotency-Key gets one, kept across its retries.
   * `caller`: only requests that carry a key are retried when their method is not idempotent.
   */
  idempotencyKeys?: 'generate' | 'caller';
  /** Default `idempotency-key`. */
  idempotencyHeader?: string;
  generateKey?: () => string;
  /** Pace once a budget's remaining is at most this; `false` turns pacing off. Default 10 % of its limit. */
  paceBelowRemaining?: number | false;
  /**
   * The spec's policy (`api.policy`, `loadRateLimitPolicy(file)`): the headers it declares are the ones
   * read (`x-quota-*`, an epoch or duration reset, the IETF fields) and the statuses it rejects with are
   * retried. Without it, x-ratelimit-*, the IETF RateLimit fields and retry-after are read.
   */
  policy?: ClientPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRetry?: (event: RetryEvent) => void;
  onPace?: (event: PaceEvent) => void;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * ReconLayer's reference retry policy around fetch, for any API a spec describes: waits what retry-after
 * says (never less; without one, until the reset of a budget reported at 0, as GitHub asks), retries writes
 * with the same Idempotency-Key and body, and slows down before a reported budget reaches 0.
 * One instance paces one budget: share it across the calls made with one organization's credentials.
 * @example const api = createRetryAfterFetch(); await api(`${base}/v1/payment-intents`, { method: 'POST', body, headers });
 */
export function createRetryAfterFetch(options: RetryAfterFetchOptions = {}): FetchLike {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  const jitterAfterMs = options.retryAfterJitterMs ?? 100;
  const fallback: BackoffSchedule = { ...AUTHMATECH_BACKOFF, ...options.fallback };
  const keyHeader = options.idempotencyHeader ?? 'idempotency-key';
  const sleep = options.sleep ?? timerSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => Date.now());
  const policy = options.policy;
  const pacer = createBudgetPacer({ belowRemaining: options.paceBelowRemaining, policy, now, onPace: options.onPace });
  return async (input, init) => {
    const parts = requestParts(input, init);
    let headers: Headers | undefined;
    if (!IDEMPOTENT_METHODS.has(parts.method) && !parts.headers.has(keyHeader) && (options.idempotencyKeys ?? 'generate') === 'generate') {
      headers = parts.headers;
      headers.set(keyHeader, (options.generateKey ?? randomUUID)());
    }
    const mayRetry = IDEMPOTENT_METHODS.has(parts.method) || (headers ?? parts.headers).has(keyHeader);
    for (let attempt = 1; ; attempt += 1) {
      const waitMs = pacer.waitMs();
      if (waitMs > 0) await sleep(waitMs);
      const response = await (options.fetch ?? globalThis.fetch)(...attemptArgs(input, init, headers));
      pacer.observe(response);
      const reading = readResponseBudget(response.headers, policy, now());
      const limited = isRateLimited(response.status, reading, policy);
      if (!(RETRY_STATUSES.has(response.status) || limited) || !mayRetry || attempt >= maxAttempts) return response;
      const retryAfterMs = limited ? rejectionWaitMs(reading) : reading.retryAfterMs;
      if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) return response;
      const delayMs = retryAfterMs !== undefined ? retryAfterMs + Math.floor(random() * jitterAfterMs) : backoffDelayMs(fallback, attempt, random);
      options.onRetry?.({ retry: attempt, delayMs, response });
      await discard(response);
      await sleep(delayMs);
    }
  };
}
