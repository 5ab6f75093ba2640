import { RateLimitContractError } from '../core/errors.js';

/** How long a client may take to send its request headers before it is answered 408 (`--headers-timeout`). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 15_000;
/** How long SIGTERM/SIGINT (or `close()`) lets in-flight requests finish before closing every connection (`--drain-timeout`). */
export const DEFAULT_DRAIN_TIMEOUT_MS = 5_000;
/** Longest value either timeout takes: node's timers hold at most 2^31 - 1 ms, and a longer wait is a mistake. */
export const MAX_TIMEOUT_MS = 3_600_000;
/** The whole request, headers and body. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * node:http's timeouts for the mock. node enforces `headersTimeout` and `requestTimeout` only when its
 * connection check runs, every 30 s by default, so the 15 s header timeout fired after 15 to 45 s (about
 * 30 s was seen); checking every second makes it fire within a second of the documented value.
 */
export function httpServerTimeouts(headersTimeoutMs: number) {
  return {
    headersTimeout: headersTimeoutMs,
    // node refuses a headersTimeout longer than the requestTimeout.
    requestTimeout: Math.max(REQUEST_TIMEOUT_MS, headersTimeoutMs),
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: 1_000,
  };
}

/** Checks a timeout option of `startMockServer` (milliseconds): a whole number from 1 to 1 hour. */
export function readTimeoutOption(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw new RateLimitContractError(
      'ERR_RLC_USAGE',
      `Failed to read the ${name} option: ${String(value)} is not a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}. Pass e.g. ${name}: ${fallback}.`,
    );
  }
  return value;
}
