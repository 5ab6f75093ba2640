import { realNowMs, realTurn } from './real-timers.js';

/**
 * What `settle` needs of fake timers: the part of vitest's `vi` (or Jest's `jest`) that moves fake time.
 * For node:test's `mock.timers` pass `nodeTestTimers(mock.timers)`; for an @sinonjs/fake-timers clock,
 * `sinonTimers(clock)`.
 */
export interface FakeTimerControls {
  advanceTimersToNextTimerAsync(): Promise<unknown>;
  getTimerCount(): number;
}

/** Options of `settleWithFakeTimers`. */
export interface SettleOptions {
  /** Give up after this much virtual time. Default one hour. */
  maxVirtualMs?: number;
  /** Give up after this much real time with no timer to run. Default 2000. */
  maxIdleRealMs?: number;
  /** True while a mocked answer is being produced; time does not move meanwhile. */
  isBusy?: () => boolean;
}

let running = 0;
/** How many `settleWithFakeTimers` calls are moving time right now (the forgotten-settle warning reads it). */
export const settlesRunning = (): number => running;

/**
 * Awaits a promise whose progress waits on fake timers (a client sleeping between retries): lets real
 * I/O finish, then jumps to the next timer, until the promise settles. Time only moves when nothing
 * else is pending, so a request is never cut by its own timeout.
 * @example const res = await settleWithFakeTimers(got(url), vi);
 */
export async function settleWithFakeTimers<T>(promise: Promise<T>, timers: FakeTimerControls, options: SettleOptions = {}): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  const maxVirtualMs = options.maxVirtualMs ?? 3_600_000;
  const maxIdleRealMs = options.maxIdleRealMs ?? 2000;
  const startMs = Date.now();
  let progressAtRealMs = realNowMs();
  running += 1;
  try {
    while (!settled) {
      await realTurn();
      await realTurn();
      if (settled) break;
      if (options.isBusy?.() || timers.getTimerCount() === 0) {
        if (realNowMs() - progressAtRealMs > maxIdleRealMs) {
          throw new Error(
            `Failed to settle the request: nothing moved for ${maxIdleRealMs} ms of real time and no fake timer is pending. It waits on something other than timers: an unmocked host, a real socket, or a faked setImmediate (fake only setTimeout, setInterval and Date).`,
          );
        }
        continue;
      }
      if (Date.now() - startMs > maxVirtualMs) {
        throw new Error(
          `Failed to settle the request within ${maxVirtualMs} ms of virtual time. The client may retry forever: cap its attempts, or raise maxVirtualMs.`,
        );
      }
      await timers.advanceTimersToNextTimerAsync();
      progressAtRealMs = realNowMs();
    }
  } finally {
    running -= 1;
  }
  return promise;
}
