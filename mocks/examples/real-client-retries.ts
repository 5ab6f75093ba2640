// Retry settings for undici and p-retry that follow both docs. test/real-clients.test.ts runs them with
// assertRetryLog against both profiles; the README shows this file verbatim.
import type { RetryContext } from 'p-retry';
import type { errors, RetryHandler } from 'undici';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Authmatech's wait before retry n: 1 s, 2 s, 4 s … capped at 60 s, ±100 ms of jitter. */
export const authmatechWaitMs = (n: number) => Math.min(60_000, 1000 * 2 ** (n - 1)) + Math.floor(Math.random() * 200) - 100;

/** undici: the retry callback with Authmatech's jittered schedule (the default has no jitter); a retry-after wins. */
export const jitteredRetry: RetryHandler.RetryCallback = (error, { state, opts }, callback) => {
  const { statusCode, headers } = error as errors.RequestRetryError;
  const { maxRetries = 5, statusCodes = [], methods = [] } = opts.retryOptions ?? {};
  if (statusCode === undefined || !statusCodes.includes(statusCode) || !methods.includes(opts.method) || state.counter > maxRetries) {
    callback(error);
    return;
  }
  const retryAfterMs = Number(headers?.['retry-after'] ?? 0) * 1000;
  setTimeout(() => callback(null), Math.max(retryAfterMs, authmatechWaitMs(state.counter)));
};

/** p-retry knows no HTTP: throw this for an answer worth retrying; it keeps the response. */
export class ResponseError extends Error {
  constructor(readonly response: Response) {
    super(`HTTP ${response.status}`);
  }
}

/** For p-retry's function: hand back a final answer, throw on 429 and 5xx. */
export function throwIfRetryable(response: Response): Response {
  if (response.status === 429 || response.status >= 500) throw new ResponseError(response);
  return response;
}

/**
 * p-retry's `onFailedAttempt`: wait what retry-after says (ReconLayer), else the schedule (Authmatech, and
 * 5xx). Pass `minTimeout: 0`, so p-retry adds no delay of its own.
 * @example pRetry(async () => throwIfRetryable(await fetch(url)), { retries: 4, minTimeout: 0, onFailedAttempt: waitBeforeRetry })
 */
export async function waitBeforeRetry({ error, attemptNumber, retriesLeft }: RetryContext): Promise<void> {
  if (retriesLeft === 0 || !(error instanceof ResponseError)) return;
  const retryAfter = Number(error.response.headers.get('retry-after') ?? Number.NaN);
  await sleep(retryAfter >= 0 ? retryAfter * 1000 + Math.floor(Math.random() * 100) : authmatechWaitMs(attemptNumber));
}
