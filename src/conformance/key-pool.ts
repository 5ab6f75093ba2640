import { createServer } from 'node:net';
import type { BudgetClock } from './budget-clock.js';

/**
 * What the suite knows about one budget on the server (a principal's or a client IP's): when its current
 * window began, as seen from here, and so when it is surely fresh again. Fixed windows start at a key's
 * first request (as @fastify/rate-limit, express-rate-limit and the mock do); rolling windows (a sliding
 * log, as @nestjs/throttler keeps) free each request's slot one window after it. So a budget counts as
 * fresh once a window has passed since both the first response of its window and the last request sent.
 */
export interface BudgetTrack {
  readonly key: string;
  /** When the first request of the current window was sent: the server's window began no earlier. */
  windowSentMs: number | undefined;
  /** When that first request was answered: the server's window began no later. */
  windowReceivedMs: number | undefined;
  /** When the last request through this budget was sent. */
  lastSentMs: number | undefined;
  /** Bumped each time a request starts a new window. */
  generation: number;
  /** When the current window has surely ended and every slot is free (0 when never used). */
  freshAtMs: number;
  /** Set once the run stops trusting that an untouched budget is fresh (see `quarantineUntouched`). */
  quarantined: boolean;
}

/** True while the run has neither sent through the budget nor quarantined it: its state is unknown. */
export const isUntouched = (budget: BudgetTrack): boolean => budget.windowSentMs === undefined && !budget.quarantined;

/** True when the suite cannot vouch for the budget: untouched, or quarantined and not used since. */
export const isStateUnknown = (budget: BudgetTrack): boolean => budget.windowSentMs === undefined;

/** One way to call the server: a credential (or none) and a source address, spending one budget. */
export interface Caller {
  /** For messages, e.g. `org_acme (credential 2 of 2)` or `anonymous from 127.0.0.3`. */
  label: string;
  headers: Record<string, string>;
  localAddress?: string;
  budget: BudgetTrack;
}

export interface PrincipalLease {
  id: string;
  /** One caller per credential of the principal. */
  callers: Caller[];
  budget: BudgetTrack;
}

export interface Principal {
  id: string;
  credentials: Array<Record<string, string>>;
}

export interface KeyPool {
  /**
   * A principal whose budget is fresh (waiting for one, bounded by the window); undefined if none
   * qualifies. The budget is reserved from now on, so that scenarios running side by side never share one.
   */
  principal(options?: { minCredentials?: number; avoid?: string[] }): Promise<PrincipalLease | undefined>;
  /** An anonymous caller from a source address whose budget is fresh; undefined if none but the avoided exist. */
  address(options?: { avoid?: Array<string | undefined> }): Promise<Caller | undefined>;
  /** The anonymous caller from the default source address (used for the clock detection request). */
  readonly defaultCaller: Caller;
  /** How many distinct source addresses the suite can use. */
  readonly addressCount: number;
  /** How many principals the credentials file names (for the policy's key). */
  readonly principalCount: number;
  /** Records that a request went out through `budget`. */
  note(budget: BudgetTrack, sentAtMs: number, receivedAtMs: number): void;
  /** Records that the server's window of `budget` surely ended at `atMs` (its reset was waited out). */
  windowEnded(budget: BudgetTrack, atMs: number): void;
  /**
   * Stops trusting untouched budgets: someone may have spent them just before this run (a previous run
   * inside the window, say), so they count as fresh only from `untilMs` (the run's start plus a window).
   */
  quarantineUntouched(untilMs: number): void;
}

/** Loopback source addresses the suite may send from: 127.0.0.2+ only where the OS routes all of 127/8 (Linux). */
export async function usableLoopbackAddresses(count = 24): Promise<string[]> {
  const canBind = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, '127.0.0.2', () => probe.close(() => resolve(true)));
  });
  return ['127.0.0.1', ...(canBind ? Array.from({ length: count - 1 }, (_, i) => `127.0.0.${i + 2}`) : [])];
}

/**
 * Creates the pool over the principals of the credentials file and the usable source addresses. A
 * budget is fresh one window (`windowMs`) after its last use. `maxWaitMs`: a check that would wait longer
 * for a fresh budget calls `tooLong` instead (which throws, e.g. a skip), rather than hang for a long window.
 */
export function createKeyPool(input: {
  principals: Principal[];
  addresses: Array<string | undefined>;
  clock: BudgetClock;
  windowMs: number;
  maxWaitMs?: number;
  tooLong?: (waitMs: number) => never;
}): KeyPool {
  const { clock, windowMs } = input;
  const track = (key: string): BudgetTrack => ({
    key,
    windowSentMs: undefined,
    windowReceivedMs: undefined,
    lastSentMs: undefined,
    generation: 0,
    freshAtMs: 0,
    quarantined: false,
  });
  const all: BudgetTrack[] = [];
  const register = (budget: BudgetTrack) => {
    all.push(budget);
    return budget;
  };
  const principals: PrincipalLease[] = input.principals.map((p) => {
    const budget = register(track(`principal:${p.id}`));
    const callers = p.credentials.map((headers, i) => ({
      label: p.credentials.length > 1 ? `${p.id} (credential ${i + 1} of ${p.credentials.length})` : p.id,
      headers,
      budget,
    }));
    return { id: p.id, callers, budget };
  });
  const anonymous: Caller[] = (input.addresses.length > 0 ? input.addresses : [undefined]).map((address) => ({
    label: `anonymous from ${address ?? 'this host'}`,
    headers: {},
    localAddress: address,
    budget: register(track(`ip:${address ?? 'default'}`)),
  }));
  /** Waits for the budget to be fresh (bounded by a window), then reserves it as if a request went out now. */
  const take = async (budget: BudgetTrack) => {
    const wakeAt = Math.max(clock.now(), Math.min(budget.freshAtMs, clock.now() + windowMs + clock.marginMs));
    if (input.maxWaitMs !== undefined && input.tooLong && wakeAt - clock.now() > input.maxWaitMs) input.tooLong(wakeAt - clock.now());
    budget.freshAtMs = Math.max(budget.freshAtMs, wakeAt + windowMs + clock.marginMs);
    await clock.sleepUntil(wakeAt);
  };
  const soonest = <T>(items: T[], budgetOf: (item: T) => BudgetTrack, tieBreak: (item: T) => number): T | undefined => {
    const now = clock.now();
    const key = (item: T) => Math.max(budgetOf(item).freshAtMs, now);
    return [...items].sort((a, b) => key(a) - key(b) || tieBreak(a) - tieBreak(b))[0];
  };
  return {
    defaultCaller: anonymous[0] as Caller,
    addressCount: anonymous.length,
    principalCount: principals.length,
    async principal(options = {}) {
      const min = options.minCredentials ?? 1;
      const candidates = principals.filter((p) => p.callers.length >= min && !(options.avoid ?? []).includes(p.id));
      const chosen = soonest(
        candidates,
        (p) => p.budget,
        (p) => p.callers.length,
      );
      if (chosen) await take(chosen.budget);
      return chosen;
    },
    async address(options = {}) {
      const candidates = anonymous.filter((c) => !(options.avoid ?? []).includes(c.localAddress));
      const chosen = soonest(
        candidates,
        (c) => c.budget,
        () => 0,
      );
      if (chosen) await take(chosen.budget);
      return chosen;
    },
    note(budget, sentAtMs, receivedAtMs) {
      const startsWindow = budget.windowReceivedMs === undefined || sentAtMs >= budget.windowReceivedMs + windowMs + clock.marginMs;
      if (startsWindow) {
        budget.windowSentMs = sentAtMs;
        budget.windowReceivedMs = receivedAtMs;
        budget.generation += 1;
      }
      budget.lastSentMs = Math.max(budget.lastSentMs ?? sentAtMs, sentAtMs);
      const fresh = Math.max(budget.windowReceivedMs ?? receivedAtMs, budget.lastSentMs) + windowMs + clock.marginMs;
      budget.freshAtMs = startsWindow ? fresh : Math.max(budget.freshAtMs, fresh);
    },
    windowEnded(budget, atMs) {
      budget.windowReceivedMs = undefined;
      budget.windowSentMs = undefined;
      budget.lastSentMs = undefined;
      budget.quarantined = true;
      budget.freshAtMs = Math.min(budget.freshAtMs, atMs);
    },
    quarantineUntouched(untilMs) {
      for (const budget of all) {
        if (!isUntouched(budget)) continue;
        budget.quarantined = true;
        budget.freshAtMs = Math.max(budget.freshAtMs, untilMs);
      }
    },
  };
}
