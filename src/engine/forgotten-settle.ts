import type { RecordedAttempt } from '../client/attempt.js';
import { nodeTestMocksDate, realNowMs, realTimer, sinonClock } from './real-timers.js';
import { settlesRunning } from './settle-with-fake-timers.js';

/** What the in-process helpers tell the watch. */
export interface ForgottenSettleWatch {
  arrived(): void;
  answered(attempt: RecordedAttempt): void;
  stop(): void;
}

/** Options of `watchForForgottenSettle`. */
export interface ForgottenSettleOptions {
  /** Real milliseconds of standstill before the warning; `false` turns it off. */
  afterMs: number | false;
  /** True while an answer is being produced. */
  isBusy(): boolean;
  warn(message: string): void;
}

const OFF: ForgottenSettleWatch = { arrived: () => undefined, answered: () => undefined, stop: () => undefined };

/**
 * Warns when a client call looks parked behind fake timers that nothing advances: the last request was
 * answered `afterMs` of real time ago, no request came since, no `settle()` runs, the fake clock has not
 * moved, and fake timers wait. Without `settle()` that test ends in the runner's bare timeout (node:test's
 * default is none), so the warning says what to call. It costs one real timer per stall.
 */
export function watchForForgottenSettle(options: ForgottenSettleOptions): ForgottenSettleWatch {
  const { afterMs } = options;
  if (afterMs === false) return OFF;
  let arrivals = 0;
  let last: { attempt: RecordedAttempt; atRealMs: number; arrivals: number; fakeNowMs: number } | undefined;
  let timer: { cancel(): void } | undefined;
  const check = () => {
    timer = undefined;
    if (!last) return;
    const waitedMs = realNowMs() - last.atRealMs;
    if (waitedMs < afterMs) {
      timer = realTimer(afterMs - waitedMs, check);
      return;
    }
    const stalled = last;
    last = undefined;
    // Progress of any kind means somebody drives the client: a new request, an answer in the making, a
    // settle() at work, or fake time moved by hand (Date.now() is virtual under fake timers).
    if (arrivals !== stalled.arrivals || options.isBusy() || settlesRunning() > 0 || Date.now() !== stalled.fakeNowMs) return;
    const clock = sinonClock();
    const pending = clock ? clock.countTimers() : nodeTestMocksDate() ? undefined : 0;
    if (pending === 0) return;
    const { method, path, status } = stalled.attempt;
    options.warn(
      `ratelimit-contract: Failed to see the client call finish: its last request (${method} ${path} → ${status}) was answered ${Math.round(waitedMs)} ms ago in real time, ${pending === undefined ? 'fake timers are installed' : `${pending} fake timer(s) wait`} and nothing advances them, so the test will hang until its timeout. Await the call through settle: \`await api.settle(promise, vi)\` (Jest: \`jest\`; node:test: \`nodeTestTimers(mock.timers)\`; @sinonjs/fake-timers: \`sinonTimers(clock)\`), or advance the timers yourself.`,
    );
  };
  return {
    arrived() {
      arrivals += 1;
    },
    answered(attempt) {
      last = { attempt, atRealMs: realNowMs(), arrivals, fakeNowMs: Date.now() };
      timer ??= realTimer(afterMs, check);
    },
    stop() {
      timer?.cancel();
      timer = undefined;
      last = undefined;
    },
  };
}
