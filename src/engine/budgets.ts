import type { BudgetEntry } from '../core/budget-store.js';
import { toWholeSeconds } from '../core/headers/whole-numbers.js';
import type { RequestHeaders } from '../core/key-resolver.js';
import type { ApiModel } from './api-model.js';
import type { LimitRuntime } from './limit-set.js';

/** One limit's budget for a client, as the control API shows it. */
export interface LimitBudget {
  name: string;
  /** The store bucket (the limit's name, or `name@METHOD path` for a per-operation budget). */
  bucket: string;
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** A client's budgets: the first limit's numbers at the top (as before several limits), each limit's under `limits`. */
export interface BudgetView {
  key: string;
  limit: number;
  remaining: number;
  resetSeconds: number;
  limits: LimitBudget[];
}

/** The distinct buckets of an API, in the order their limits are first met (the root's first). */
export function bucketsOf(m: ApiModel): LimitRuntime[] {
  const seen = new Map<string, LimitRuntime>();
  for (const set of m.limitSets) for (const rt of set.limits) if (!seen.has(rt.bucket)) seen.set(rt.bucket, rt);
  return [...seen.values()];
}

const ruleFor = (rt: LimitRuntime, key: string) => (rt.fallbackRule !== undefined && key.startsWith('ip:') ? rt.fallbackRule : rt.rule);
const entryOf = (rt: LimitRuntime, key: string, cost = 1): BudgetEntry => ({ key: rt.prefix + key, rule: ruleFor(rt, key), cost });

/** Splits a store key into the bucket it belongs to and the client key. */
function splitStoreKey(m: ApiModel, storeKey: string): { rt: LimitRuntime | undefined; key: string } {
  const buckets = bucketsOf(m);
  const only = buckets[0];
  if (only && only.prefix === '') return { rt: only, key: storeKey };
  const bar = storeKey.indexOf('|');
  const bucket = storeKey.slice(0, bar);
  return { rt: buckets.find((b) => b.bucket === bucket), key: storeKey.slice(bar + 1) };
}

/** A client's budgets: the buckets given (default: every bucket of the API). */
export async function describeBudget(m: ApiModel, key: string, only?: readonly LimitRuntime[]): Promise<BudgetView> {
  const all = bucketsOf(m);
  const buckets = only && only.length > 0 ? only : all;
  const decisions = await m.store.peek(
    buckets.map((rt) => entryOf(rt, key)),
    m.clock.now(),
  );
  const limits = buckets.map((rt, i) => {
    const d = decisions[i];
    return { name: rt.limit.name, bucket: rt.bucket, limit: d?.limit ?? 0, remaining: d?.remaining ?? 0, resetSeconds: toWholeSeconds(d?.resetMs ?? 0) };
  });
  const first = limits[0] ?? { limit: 0, remaining: 0, resetSeconds: 0 };
  return { key, limit: first.limit, remaining: first.remaining, resetSeconds: first.resetSeconds, limits };
}

/** The clients with live budgets (newest first), each with the buckets they spent on. */
export async function listBudgets(m: ApiModel, max: number): Promise<BudgetView[]> {
  const byKey = new Map<string, LimitRuntime[]>();
  for (const storeKey of await m.store.keys(max)) {
    const { rt, key } = splitStoreKey(m, storeKey);
    if (!rt) continue;
    const list = byKey.get(key) ?? [];
    list.push(rt);
    byKey.set(key, list);
  }
  return Promise.all([...byKey].map(([key, buckets]) => describeBudget(m, key, buckets)));
}

/** Forgets a client's budgets in every bucket. */
export async function resetBudget(m: ApiModel, key: string): Promise<void> {
  for (const rt of bucketsOf(m)) await m.store.resetKey(rt.prefix + key);
}

/**
 * Spends the whole budget of the client these headers and this address resolve to: of every root limit,
 * or of the limit named (found in any operation's limits too). One store call.
 */
export async function exhaustBudget(m: ApiModel, headers: RequestHeaders, clientAddress: string | undefined, limitName?: string): Promise<void> {
  const runtimes = limitName === undefined ? m.rootLimits.limits : bucketsOf(m).filter((rt) => rt.limit.name === limitName);
  if (runtimes.length === 0) {
    const names = [...new Set(bucketsOf(m).map((rt) => rt.limit.name))].join(', ');
    throw new TypeError(`Failed to exhaust the limit "${limitName}": the API has no limit of that name. Its limits: ${names}.`);
  }
  const entries = runtimes.map((rt) => entryOf(rt, rt.resolveKey(headers, clientAddress)));
  const nowMs = m.clock.now();
  const peeked = await m.store.peek(entries, nowMs);
  const spend = entries.flatMap((entry, i) => {
    const left = peeked[i]?.remaining ?? 0;
    return left > 0 ? [{ ...entry, cost: left }] : [];
  });
  if (spend.length > 0) await m.store.consume(spend, nowMs, 'atomic');
}
