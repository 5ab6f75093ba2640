import { nodeTestMocksDate } from './real-timers.js';
import type { FakeTimerControls } from './settle-with-fake-timers.js';

/** What `nodeTestTimers` uses of node:test's `mock.timers`. */
export interface NodeTestMockTimers {
  tick(milliseconds?: number): void;
}

/** `settle()`'s timer controls over node:test's mock timers, and `restore()` to stop counting. */
export interface NodeTestTimerControls extends FakeTimerControls {
  /** Puts node's own fakes back on the globals (`mock.timers.reset()` restores the real ones anyway). */
  restore(): void;
}

type Callback = (...args: unknown[]) => void;
type Scheduler = (callback: Callback, ms?: number, ...args: unknown[]) => unknown;
type Canceller = (timer: unknown) => void;
interface Globals {
  setTimeout: Scheduler;
  clearTimeout: Canceller;
  setInterval: Scheduler;
  clearInterval: Canceller;
}

/**
 * `settle()`'s timer controls for node:test's `mock.timers`, which can tick but cannot say when the next
 * timer is due or how many wait. This adapter wraps the faked `setTimeout`/`setInterval` (and their
 * clears) to keep that count, and ticks exactly to the next timer. Enable the mock timers with `Date`
 * first: the budgets run on `Date.now()`.
 * @example mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: Date.now() }); await api.settle(client(url), nodeTestTimers(mock.timers));
 */
export function nodeTestTimers(mockTimers: NodeTestMockTimers): NodeTestTimerControls {
  if (!nodeTestMocksDate()) {
    throw new TypeError(
      "Failed to drive node:test's mock timers: they do not fake Date (or are not enabled). Enable them first, with Date: mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: Date.now() }), then call nodeTestTimers(mock.timers).",
    );
  }
  const globals = globalThis as unknown as Globals;
  const fakes: Globals = { ...globals };
  // Each live timer, by the object node returns, with when it is due: node's own `runAt` where it has one
  // (Node 20 and 24 do), else the delay as scheduled.
  const live = new Map<unknown, { dueMs: number; everyMs?: number }>();
  const dueOf = (timer: unknown, fallbackMs: number) => {
    const runAt = (timer as { runAt?: unknown } | null)?.runAt;
    return typeof runAt === 'number' ? runAt : fallbackMs;
  };
  const schedule = (fake: Scheduler, repeat: boolean): Scheduler =>
    function scheduled(callback, ms, ...args) {
      if (typeof callback !== 'function') return fake(callback, ms, ...args);
      const delayMs = Math.max(0, Number(ms) || 0);
      const entry = { dueMs: Date.now() + delayMs, everyMs: repeat ? delayMs : undefined };
      const timer: unknown = fake(
        (...callArgs: unknown[]) => {
          if (repeat) entry.dueMs = Date.now() + delayMs;
          else live.delete(timer);
          callback(...callArgs);
        },
        ms,
        ...args,
      );
      live.set(timer, entry);
      return timer;
    };
  const cancel =
    (fake: Canceller): Canceller =>
    (timer) => {
      live.delete(timer);
      fake(timer);
    };
  const wrapped: Globals = {
    setTimeout: schedule(fakes.setTimeout, false),
    setInterval: schedule(fakes.setInterval, true),
    clearTimeout: cancel(fakes.clearTimeout),
    clearInterval: cancel(fakes.clearInterval),
  };
  Object.assign(globals, wrapped);
  return {
    getTimerCount: () => live.size,
    async advanceTimersToNextTimerAsync() {
      if (live.size === 0) return;
      const nextMs = Math.min(...[...live].map(([timer, entry]) => dueOf(timer, entry.dueMs)));
      mockTimers.tick(Math.max(0, nextMs - Date.now()));
      await Promise.resolve();
    },
    restore() {
      for (const name of Object.keys(wrapped) as (keyof Globals)[]) {
        if (globals[name] === wrapped[name]) (globals as unknown as Record<string, unknown>)[name] = fakes[name];
      }
      live.clear();
    },
  };
}
