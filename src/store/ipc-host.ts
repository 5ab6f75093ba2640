import type { BudgetStore, MaybePromise, RecordStore } from '../core/budget-store.js';
import { type ClockMove, type ClockState, moveClock, REAL_TIME, readClock } from '../core/clock-state.js';
import type { Decision } from '../core/decision.js';
import type { Stacking } from '../core/policy.js';
import { type AnswersMessage, type CallsMessage, packDecisions, type StoreAnswer, type StoreCall, unpackEntries } from './ipc-protocol.js';
import { createMemoryRecords } from './memory-records.js';
import { createMemoryStore } from './memory-store.js';

/** The primary's side of `mock --workers` without Redis: the budgets, records and clock every worker shares. */
export interface IpcHost {
  /** Answers one message of calls from a worker; `reply` sends the answers back to it. */
  handle(message: CallsMessage, reply: (answers: AnswersMessage) => void): void;
  close(): Promise<void>;
}

/**
 * Holds the workers' budgets in one memory store, with one clock (real time plus the control API's moves)
 * and the idempotency records, and answers the workers' calls in the order they come: node answers one
 * message at a time, so every call is atomic, as a Redis script is. Each answer carries the clock.
 */
export function createIpcHost(options: { maxKeys?: number; realClock?: () => number } = {}): IpcHost {
  const real = options.realClock ?? Date.now;
  let clock: ClockState = REAL_TIME;
  const now = () => readClock(clock, real());
  const store: BudgetStore = createMemoryStore({ maxKeys: options.maxKeys, clock: { now } });
  const records: RecordStore = createMemoryRecords({ now });

  const packed = (decisions: MaybePromise<Decision[]>) => (decisions instanceof Promise ? decisions.then(packDecisions) : packDecisions(decisions));
  /** Runs one call; synchronous ones answer at once, the rest (resets, listing, records) after their promise. */
  const run = (op: StoreCall[1], args: unknown[]): unknown => {
    switch (op) {
      case 'consume':
        return packed(store.consume(unpackEntries(args[2] as []), (args[1] as number | null) ?? now(), args[0] as Stacking));
      case 'peek':
        return packed(store.peek(unpackEntries(args[1] as []), (args[0] as number | null) ?? now()));
      case 'resetKey':
        return store.resetKey(args[0] as string);
      case 'resetAll':
        return store.resetAll();
      case 'keys':
        return store.keys(args[0] as number);
      case 'putRecord':
        return records.putIfAbsent(args[0] as string, args[1] as string, args[2] as string).then((found) => found ?? null);
      case 'clearRecords':
        return records.clear();
      case 'clock': {
        const move = args[0] as ClockMove | null;
        const realMs = real();
        if (move) clock = moveClock(clock, move, realMs);
        return [realMs, clock.offsetMs, clock.frozenAtMs ?? null];
      }
    }
  };

  return {
    handle(message, reply) {
      const answers: StoreAnswer[] = [];
      const later: Array<Promise<void>> = [];
      for (const [id, op, ...args] of message.calls) {
        try {
          const value = run(op, args);
          if (value instanceof Promise) {
            const at = answers.push([id, 1, null]) - 1;
            later.push(
              value.then(
                (v) => {
                  answers[at] = [id, 1, v ?? null];
                },
                (error: unknown) => {
                  answers[at] = [id, 0, String((error as Error).message ?? error)];
                },
              ),
            );
          } else answers.push([id, 1, value]);
        } catch (error) {
          answers.push([id, 0, String((error as Error).message ?? error)]);
        }
      }
      const send = () => reply({ rlc: 'store', answers, clock: [clock.offsetMs, clock.frozenAtMs ?? null] });
      if (later.length === 0) send();
      else void Promise.all(later).then(send);
    },
    close: () => store.close(),
  };
}
