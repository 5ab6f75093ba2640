import { type BudgetEntry, firstRejected } from './budget-store.js';
import type { Decision } from './decision.js';
import type { Stacking } from './policy.js';

/** What a store does with one key: read it, spend on it (when the cost fits; else only mark it used), mark it used. */
export interface OneKeyStep {
  peek(entry: BudgetEntry, nowMs: number): Decision;
  consume(entry: BudgetEntry, nowMs: number): Decision;
  touch(entry: BudgetEntry, nowMs: number): void;
}

/**
 * The BudgetStore `consume` semantics over one-key steps, for synchronous stores (a Redis script does the
 * same in Lua): one entry is one step; several are peeked first, then spent all (they all fit), none
 * (`atomic`) or those before the first that does not fit (`in-order`).
 */
export function consumeEntries(entries: readonly BudgetEntry[], nowMs: number, stacking: Stacking | undefined, step: OneKeyStep): Decision[] {
  if (entries.length === 1) return [step.consume(entries[0] as BudgetEntry, nowMs)];
  const peeked = entries.map((entry) => step.peek(entry, nowMs));
  const rejected = firstRejected(peeked);
  if (rejected === -1) return entries.map((entry) => step.consume(entry, nowMs));
  const spent = stacking === 'in-order' ? rejected : 0;
  for (let i = 0; i < entries.length; i += 1) {
    const entry = entries[i] as BudgetEntry;
    if (i < spent) peeked[i] = step.consume(entry, nowMs);
    else step.touch(entry, nowMs);
  }
  return peeked;
}
