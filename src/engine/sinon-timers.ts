import type { FakeTimerControls } from './settle-with-fake-timers.js';

/** What `sinonTimers` uses of an @sinonjs/fake-timers clock (`FakeTimers.install()` or `createClock()`). */
export interface SinonClockControls {
  nextAsync(): Promise<number>;
  countTimers(): number;
}

/**
 * `settle()`'s timer controls for an @sinonjs/fake-timers clock: it jumps to the next timer with
 * `clock.nextAsync()` and counts with `clock.countTimers()`. Install the clock with
 * `toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']`: its default also fakes
 * `setImmediate`, which hangs nock.
 * @example const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }); await api.settle(client(url), sinonTimers(clock));
 */
export function sinonTimers(clock: SinonClockControls): FakeTimerControls {
  return {
    advanceTimersToNextTimerAsync: () => clock.nextAsync(),
    getTimerCount: () => clock.countTimers(),
  };
}
