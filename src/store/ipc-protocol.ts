import type { BudgetEntry } from '../core/budget-store.js';
import type { Decision } from '../core/decision.js';
import type { Algorithm } from '../core/policy.js';

/**
 * The messages between the workers of `mock --workers` and the primary that holds their budgets. A
 * worker sends the calls of one event-loop turn in one message, the primary answers them in one:
 * `{ rlc: 'store', calls: [[id, op, ...args], …] }` → `{ rlc: 'store', answers: [[id, ok, value], …], clock }`.
 * Entries and decisions travel as flat arrays of strings and numbers (cheap to serialise).
 */
export type StoreOp = 'consume' | 'peek' | 'resetKey' | 'resetAll' | 'keys' | 'putRecord' | 'clearRecords' | 'clock';
export type StoreCall = [id: number, op: StoreOp, ...args: unknown[]];
export type StoreAnswer = [id: number, ok: 0 | 1, value: unknown];

export interface CallsMessage {
  rlc: 'store';
  calls: StoreCall[];
}

export interface AnswersMessage {
  rlc: 'store';
  answers: StoreAnswer[];
  /** The primary's clock with the answers: [offsetMs, frozenAtMs or null]. */
  clock: [number, number | null];
}

const ALGORITHMS: Algorithm[] = ['fixed-window', 'sliding-window', 'token-bucket'];

/** Entries as [key, algorithm index, limit, windowMs, cost, …]. */
export function packEntries(entries: readonly BudgetEntry[]): Array<string | number> {
  const out: Array<string | number> = [];
  for (const e of entries) out.push(e.key, ALGORITHMS.indexOf(e.rule.algorithm), e.rule.limit, e.rule.windowMs, e.cost);
  return out;
}

export function unpackEntries(packed: ReadonlyArray<string | number>): BudgetEntry[] {
  const out: BudgetEntry[] = [];
  for (let i = 0; i < packed.length; i += 5) {
    const algorithm = ALGORITHMS[packed[i + 1] as number] as Algorithm;
    out.push({
      key: packed[i] as string,
      rule: { algorithm, limit: packed[i + 2] as number, windowMs: packed[i + 3] as number },
      cost: packed[i + 4] as number,
    });
  }
  return out;
}

/** Decisions as [allowed 1|0, limit, remaining, resetMs, retryAfterMs, …]. */
export function packDecisions(decisions: readonly Decision[]): number[] {
  const out: number[] = [];
  for (const d of decisions) out.push(d.allowed ? 1 : 0, d.limit, d.remaining, d.resetMs, d.retryAfterMs);
  return out;
}

export function unpackDecisions(packed: readonly number[]): Decision[] {
  const out: Decision[] = [];
  for (let i = 0; i < packed.length; i += 5) {
    out.push({
      allowed: packed[i] === 1,
      limit: packed[i + 1] as number,
      remaining: packed[i + 2] as number,
      resetMs: packed[i + 3] as number,
      retryAfterMs: packed[i + 4] as number,
    });
  }
  return out;
}

export const isCallsMessage = (message: unknown): message is CallsMessage =>
  typeof message === 'object' && message !== null && (message as CallsMessage).rlc === 'store' && Array.isArray((message as CallsMessage).calls);

export const isAnswersMessage = (message: unknown): message is AnswersMessage =>
  typeof message === 'object' && message !== null && (message as AnswersMessage).rlc === 'store' && Array.isArray((message as AnswersMessage).answers);

/** Where messages go and come from: a worker's `process`, a primary's `Worker`, or a pair in one process (tests). */
export interface IpcChannel {
  send(message: unknown): void;
  onMessage(handler: (message: unknown) => void): void;
}
