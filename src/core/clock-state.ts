/**
 * The state of a controllable clock kept where several processes read it (a Redis hash, the primary of
 * `--workers`): an offset from real time, or the time it stands frozen at. The moves are those of
 * `createControllableClock` (clock.ts), as pure functions; the Redis store runs the same in Lua.
 */
export interface ClockState {
  offsetMs: number;
  /** Set while the clock stands still (virtual mode). */
  frozenAtMs: number | undefined;
}

/** A clock move, as the control API asks for it. */
export type ClockMove = { kind: 'freeze' } | { kind: 'advance'; ms: number } | { kind: 'resume' };

export const REAL_TIME: ClockState = { offsetMs: 0, frozenAtMs: undefined };

/** The clock's reading at real time `realMs`. */
export const readClock = (state: ClockState, realMs: number): number => state.frozenAtMs ?? realMs + state.offsetMs;

/** The state after a move made at real time `realMs`. */
export function moveClock(state: ClockState, move: ClockMove, realMs: number): ClockState {
  if (move.kind === 'freeze') return { offsetMs: state.offsetMs, frozenAtMs: readClock(state, realMs) };
  if (move.kind === 'advance') return { offsetMs: state.offsetMs, frozenAtMs: readClock(state, realMs) + move.ms };
  return state.frozenAtMs === undefined ? state : { offsetMs: state.frozenAtMs - realMs, frozenAtMs: undefined };
}
