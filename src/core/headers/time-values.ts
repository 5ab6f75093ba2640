import type { ResetFormat, RetryAfterFormat } from '../policy.js';
import { formatDurationText, parseDurationText } from './duration-text.js';
import { intText, readWholeNumber, toWholeSeconds } from './whole-numbers.js';

/**
 * A reset as a header value: the whole seconds until it (ReconLayer: "Seconds until the current window
 * resets"), the epoch second it happens at, rounded up (GitHub's x-ratelimit-reset, express-rate-limit's
 * legacy X-RateLimit-Reset: `Math.ceil(resetTime / 1000)`), or a Go duration (OpenAI: `6m0s`).
 */
export function writeReset(format: ResetFormat, resetMs: number, nowMs: number): string {
  if (format === 'seconds') return intText(toWholeSeconds(resetMs));
  if (format === 'epoch-seconds') return intText(Math.ceil((nowMs + resetMs) / 1000));
  return formatDurationText(resetMs);
}

/** Reads a reset header value in its declared format as milliseconds from `nowMs`; undefined when it is not one. */
export function readReset(format: ResetFormat, value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  if (format === 'duration') return parseDurationText(value);
  const n = readWholeNumber(value);
  if (n === undefined) return undefined;
  return format === 'seconds' ? n * 1000 : Math.max(0, n * 1000 - nowMs);
}

/** A retry-after value: delay-seconds rounded up, or the HTTP-date of the first whole second it allows (RFC 9110 §10.2.3). */
export function writeRetryAfter(format: RetryAfterFormat, retryAfterMs: number, nowMs: number): string {
  if (format === 'seconds') return intText(toWholeSeconds(retryAfterMs));
  return new Date(Math.ceil((nowMs + retryAfterMs) / 1000) * 1000).toUTCString();
}

const HTTP_DATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Reads a retry-after value, delay-seconds or an HTTP-date whatever the declared format (RFC 9110 §10.2.3
 * allows both; a client reads either), as milliseconds from `nowMs`.
 */
export function readRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  const seconds = readWholeNumber(text);
  if (seconds !== undefined) return seconds * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Whether a retry-after value has the declared form (an IMF-fixdate for `http-date`). */
export function retryAfterHasFormat(format: RetryAfterFormat, value: string): boolean {
  return format === 'seconds' ? readWholeNumber(value) !== undefined : HTTP_DATE.test(value.trim());
}
