import type { BudgetEntry, BudgetStore, RecordStore } from '../core/budget-store.js';
import type { ClockMove } from '../core/clock-state.js';
import type { Decision } from '../core/decision.js';
import { createMirroredClock, type MirroredClock } from '../core/mirrored-clock.js';
import { type IpcChannel, isAnswersMessage, packEntries, type StoreCall, type StoreOp, unpackDecisions } from './ipc-protocol.js';

/** A worker's store in `mock --workers`: the primary's budgets, clock and records, over IPC. */
export interface IpcStore extends BudgetStore {
  readonly clock: MirroredClock | undefined;
  readonly records: RecordStore;
  readonly label: string;
  /** Messages sent, and calls they carried (the batching the bench reports). */
  readonly sent: { messages: number; calls: number };
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * The BudgetStore of a `mock --workers` worker without Redis: each call goes to the primary, which holds
 * the one memory store every worker shares (ipc-host.ts), so budgets stay exact across workers. The calls
 * of one event-loop turn travel in one message and come back in one. `time: 'caller'` sends the caller's
 * `nowMs` (tests); by default the primary's clock decides, and this worker's clock mirrors it.
 */
export function createIpcStore(channel: IpcChannel, options: { time?: 'store' | 'caller'; label?: string } = {}): IpcStore {
  const callerTime = options.time === 'caller';
  const pending = new Map<number, Pending>();
  let queue: StoreCall[] = [];
  let ids = 0;
  let closed: Error | undefined;
  const sent = { messages: 0, calls: 0 };

  const flush = () => {
    const calls = queue;
    queue = [];
    sent.messages += 1;
    sent.calls += calls.length;
    try {
      channel.send({ rlc: 'store', calls });
    } catch (error) {
      for (const [id] of calls) pending.get(id)?.reject(error as Error);
    }
  };
  const call = <T>(op: StoreOp, ...args: unknown[]): Promise<T> => {
    if (closed) return Promise.reject(closed);
    const id = ++ids;
    if (queue.length === 0) setImmediate(flush);
    queue.push([id, op, ...args]);
    return new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (value: unknown) => void, reject }));
  };

  const clock = callerTime
    ? undefined
    : createMirroredClock(async (move: ClockMove | undefined) => {
        const [realMs, offsetMs, frozenAtMs] = await call<[number, number, number | null]>('clock', move ?? null);
        return { realMs, state: { offsetMs, frozenAtMs: frozenAtMs ?? undefined } };
      });

  channel.onMessage((message) => {
    if (!isAnswersMessage(message)) return;
    clock?.update(message.clock[0], message.clock[1] ?? undefined);
    for (const [id, ok, value] of message.answers) {
      const waiting = pending.get(id);
      if (!waiting) continue;
      pending.delete(id);
      if (ok) waiting.resolve(value);
      else waiting.reject(new Error(`the primary failed the call: ${value}`));
    }
  });

  const decide = (op: 'consume' | 'peek', entries: readonly BudgetEntry[], nowMs: number, stacking?: string): Promise<Decision[]> => {
    const time = callerTime ? nowMs : null;
    const packed = packEntries(entries);
    const answer = op === 'consume' ? call<number[]>(op, stacking ?? 'atomic', time, packed) : call<number[]>(op, time, packed);
    return answer.then(unpackDecisions);
  };

  return {
    label: options.label ?? "the primary process's memory, shared by its workers over IPC",
    clock,
    sent,
    records: {
      putIfAbsent: (owner, key, record) => call<string | null>('putRecord', owner, key, record).then((found) => found ?? undefined),
      clear: () => call('clearRecords'),
    },
    consume: (entries, nowMs, stacking) => decide('consume', entries, nowMs, stacking),
    peek: (entries, nowMs) => decide('peek', entries, nowMs),
    resetKey: (key) => call('resetKey', key),
    resetAll: () => call('resetAll'),
    keys: (max) => call('keys', max),
    async close() {
      closed = new Error('the store is closed');
      for (const waiting of pending.values()) waiting.reject(closed);
      pending.clear();
    },
  };
}

/** A worker's channel to its primary (`process.send`); a send after the primary is gone throws, and that call fails. */
export function ipcChannelOfProcess(): IpcChannel {
  return {
    send: (message) => {
      if (!process.connected || !process.send) throw new Error('the primary process is gone');
      process.send(message);
    },
    onMessage: (handler) => process.on('message', handler),
  };
}
