// What the policy says must happen to a request, given what the suite knows of each budget it spends on
// ("The first limit, in order, that the request does not fit decides the rejection", docs/x-rate-limit.md),
// and what a response tells about which limit decided.
import type { Stacking } from '../../core/policy.js';
import { type BucketOutcome, type Fit, fitOf, type UnitRange } from './budget-model.js';

/** One limit a request spends on, as the prediction needs it. */
export interface BudgetAtRequest {
  spent: UnitRange;
  limit: number;
  cost: number;
  /** The status of this limit's rejection. */
  status: number;
}

/**
 * `allowed`: every limit surely fits. `refused`: limit `by` surely does not, and every one before it
 * surely does. `either`: it depends on budgets the suite cannot pin down; `candidates` may decide.
 */
export type Prediction = { kind: 'allowed' } | { kind: 'refused'; by: number } | { kind: 'either'; candidates: number[]; mayBeAllowed: boolean };

/** Predicts a request's outcome from its limits, in the order they are checked. */
export function predict(budgets: readonly BudgetAtRequest[]): Prediction {
  const candidates: number[] = [];
  for (const [i, b] of budgets.entries()) {
    const fit: Fit = fitOf(b.spent, b.limit, b.cost);
    if (fit === 'fits') continue;
    candidates.push(i);
    if (fit === 'fails') return candidates.length === 1 ? { kind: 'refused', by: i } : { kind: 'either', candidates, mayBeAllowed: false };
  }
  return candidates.length === 0 ? { kind: 'allowed' } : { kind: 'either', candidates, mayBeAllowed: true };
}

/** What the response says happened: allowed, or refused by one of `by` (the limits whose rejection status it carries). */
export type Observed = { kind: 'allowed' } | { kind: 'refused'; by: number[] };

/**
 * Reads the outcome from the status: a status that is the rejection of a limit the prediction allows to
 * decide is that limit's refusal; another limit's rejection status is a refusal by that limit (to be
 * judged); any other status is an answer (allowed), as in the rest of the suite.
 */
export function observe(prediction: Prediction, budgets: readonly BudgetAtRequest[], status: number): Observed {
  const possible = prediction.kind === 'refused' ? [prediction.by] : prediction.kind === 'either' ? prediction.candidates : [];
  const expected = possible.filter((i) => budgets[i]?.status === status);
  if (expected.length > 0) return { kind: 'refused', by: expected };
  const any = budgets.flatMap((b, i) => (b.status === status ? [i] : []));
  return any.length > 0 ? { kind: 'refused', by: any } : { kind: 'allowed' };
}

/**
 * What each budget records for an observed outcome: all spend when allowed; when refused, nothing
 * (`atomic`), or those before the refusing limit spend (`in-order`). When the refusing limit is one of
 * several, the budgets between the first and the last of them may or may not have spent.
 */
export function outcomesOf(observed: Observed, count: number, stacking: Stacking): Array<BucketOutcome | undefined> {
  if (observed.kind === 'allowed') return Array.from({ length: count }, () => 'spent');
  const first = Math.min(...observed.by);
  const last = Math.max(...observed.by);
  return Array.from({ length: count }, (_, i): BucketOutcome | undefined => {
    if (observed.by.length === 1 && i === first) return 'refused';
    if (stacking === 'atomic') return undefined;
    if (i < first) return 'spent';
    if (i <= last) return 'maybe';
    return undefined;
  });
}
