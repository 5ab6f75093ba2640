import { type Clock, type ControllableClock, systemClock } from './clock.js';
import { type ClockMove, type ClockState, REAL_TIME } from './clock-state.js';

/** What the keeper of a shared clock answers: its state, and the keeper's real time when it answered. */
export interface KeptClock {
  state: ClockState;
  realMs: number;
}

/** Where a shared clock is kept (a Redis hash, the primary of `--workers`): makes a move, or with none reads it. */
export type ClockKeeper = (move: ClockMove | undefined) => Promise<KeptClock>;

/** A local reading of a shared clock, brought up to date by every answer of the store that keeps it. */
export interface MirroredClock extends ControllableClock {
  /** Takes the clock's state from a store's answer (each consume answer carries it). */
  update(offsetMs: number, frozenAtMs: number | undefined): void;
  freeze(): Promise<void>;
  advance(ms: number): Promise<void>;
  resume(): Promise<void>;
  sync(): Promise<void>;
}

/**
 * The engine's view of a clock that a shared store keeps: budgets are decided on the keeper's clock (a
 * Redis script reads Redis TIME and the offset beside the budgets), and this mirror reads the same time
 * here for headers, the control API and logs. A move is made where the clock is kept, so `clock/advance`
 * on one replica moves every replica; each store answer carries the state, so a replica that did not make
 * the move reads the new time from its next answer on, or at once after `sync()`.
 */
export function createMirroredClock(keeper: ClockKeeper, base: Clock = systemClock): MirroredClock {
  let offsetMs = REAL_TIME.offsetMs;
  let frozenAtMs = REAL_TIME.frozenAtMs;
  /** The keeper's real time minus ours, measured at the last move or sync (zero on one machine). */
  let skewMs = 0;
  const apply = async (move: ClockMove | undefined) => {
    const sentMs = base.now();
    const kept = await keeper(move);
    // The keeper read its time about halfway through the round trip.
    skewMs = kept.realMs - (sentMs + base.now()) / 2;
    offsetMs = kept.state.offsetMs;
    frozenAtMs = kept.state.frozenAtMs;
  };
  return {
    now: () => frozenAtMs ?? base.now() + skewMs + offsetMs,
    freeze: () => apply({ kind: 'freeze' }),
    advance: (ms) => apply({ kind: 'advance', ms }),
    resume: () => apply({ kind: 'resume' }),
    sync: () => apply(undefined),
    update(offset, frozenAt) {
      offsetMs = offset;
      frozenAtMs = frozenAt;
    },
    get frozen() {
      return frozenAtMs !== undefined;
    },
  };
}
