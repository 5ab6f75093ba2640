// The real timer and clock, even under fake timers. They are read when this module loads, usually before a
// test fakes anything; when a test fakes first (Jest's `fakeTimers` config, a setup file),
// @sinonjs/fake-timers (behind vitest's `vi` and Jest's `jest`) keeps the originals on its clock, as
// `clock._setTimeout`. No node:timers here: the MSW helper runs in browsers too.

/** What this package reads of an @sinonjs/fake-timers clock. */
export interface SinonLikeClock {
  now: number;
  countTimers(): number;
  _setTimeout?: typeof setTimeout;
  _clearTimeout?: typeof clearTimeout;
  _performance?: { now(): number };
}

type Faked<T> = T & { clock?: SinonLikeClock };

/** The @sinonjs/fake-timers clock behind the global `setTimeout`, when one is installed (vitest, Jest, sinon). */
export const sinonClock = (): SinonLikeClock | undefined => (globalThis.setTimeout as Faked<typeof setTimeout>).clock;

/** True while node:test's `mock.timers` fakes `Date` (its `Date.isMock`). */
export const nodeTestMocksDate = (): boolean => (Date as unknown as { isMock?: boolean }).isMock === true;

const loadedSetTimeout = globalThis.setTimeout as Faked<typeof setTimeout>;
const loadedClearTimeout = globalThis.clearTimeout as Faked<typeof clearTimeout>;
const loadedPerformance = globalThis.performance as Faked<{ now(): number }>;

/** The real `setTimeout`. */
export const realSetTimeout: typeof setTimeout = (loadedSetTimeout.clock?._setTimeout ?? loadedSetTimeout).bind(globalThis);
/** The real `clearTimeout`. */
export const realClearTimeout: typeof clearTimeout = (loadedClearTimeout.clock?._clearTimeout ?? loadedClearTimeout).bind(globalThis);
const realPerformance = loadedPerformance.clock?._performance ?? loadedPerformance;
/** Real milliseconds from an arbitrary origin. */
export const realNowMs = (): number => realPerformance.now();

/** One real macrotask: lets sockets, streams and interceptors' own (real) 0 ms timers finish. */
export const realTurn = (): Promise<void> => new Promise<void>((resolve) => realSetTimeout(resolve, 0));

/** Runs `fn` after `ms` of real time, without keeping a Node process alive for it. */
export function realTimer(ms: number, fn: () => void): { cancel(): void } {
  const handle = realSetTimeout(fn, ms) as unknown as { unref?: () => void };
  handle.unref?.();
  return { cancel: () => realClearTimeout(handle as unknown as ReturnType<typeof setTimeout>) };
}
