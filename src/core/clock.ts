/** The only source of time in the core: tests pass a clock they move by hand. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Real time, read through Date.now so that vitest's fake timers move it too. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that can leave real time, freeze and be moved forward (the mock's `--control` clock). A clock kept
 * in a shared store (Redis, or the primary of `--workers`) answers its moves with a promise, settled once
 * every replica's budgets see the new time, and brings its local reading up to date with `sync`.
 */
export interface ControllableClock extends Clock {
  /** Freezes time at its current reading; later `advance` calls move it. */
  freeze(): void | Promise<void>;
  /** Moves the clock forward by `ms`; freezes it first if it is running. */
  advance(ms: number): void | Promise<void>;
  /** Returns to real time; what was advanced is kept as an offset. */
  resume(): void | Promise<void>;
  /** Reads the shared clock's state again (absent: the clock lives in this process). */
  sync?(): Promise<void>;
  readonly frozen: boolean;
}

/** Wraps a base clock so that a test can freeze and advance it. */
export function createControllableClock(base: Clock = systemClock): ControllableClock {
  let offsetMs = 0;
  let frozenAt: number | undefined;
  return {
    now: () => frozenAt ?? base.now() + offsetMs,
    freeze() {
      frozenAt ??= base.now() + offsetMs;
    },
    advance(ms: number) {
      frozenAt = (frozenAt ?? base.now() + offsetMs) + ms;
    },
    resume() {
      if (frozenAt !== undefined) offsetMs = frozenAt - base.now();
      frozenAt = undefined;
    },
    get frozen() {
      return frozenAt !== undefined;
    },
  };
}
