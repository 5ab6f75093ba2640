import { timerSleep } from './backoff-delay.js';

/** Options of `withBackoff`: the snippet's `maxAttempts`, plus injected time and randomness for tests. */
export interface WithBackoffOptions {
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Authmatech's `withBackoff` snippet ("Handling 429 with backoff"), typed: calls `fn` until it answers
 * neither 429 nor 5xx, waiting 1 s, 2 s, 4 s … (cap 60 s) ±100 ms between tries, at most `maxAttempts`
 * (5) tries. Works with anything that has a numeric `status` (fetch, ky, axios with validateStatus).
 * @example const res = await withBackoff(() => fetch(url, { headers }));
 */
export async function withBackoff<T extends { status: number }>(
  fn: () => Promise<T>,
  { maxAttempts = 5, sleep = timerSleep, random = Math.random }: WithBackoffOptions = {},
): Promise<T> {
  let attempt = 0;
  while (true) {
    const res = await fn();
    if (res.status !== 429 && res.status < 500) return res;
    if (++attempt >= maxAttempts) return res;
    const base = Math.min(60_000, 1000 * 2 ** (attempt - 1)); // 1s,2s,4s… cap 60s
    const jitter = Math.floor(random() * 200) - 100; // ±100ms
    await sleep(base + jitter);
  }
}
