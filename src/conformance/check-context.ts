import type { RateLimitPolicy } from '../core/policy.js';
import type { BudgetClock } from './budget-clock.js';
import { CheckFailure, CheckSkipped, type Exchange, type FailureDetail, type ProbeRequest } from './conformance-check.js';
import { type BudgetTrack, type Caller, isUntouched, type KeyPool } from './key-pool.js';
import type { ProbeOperation, ProbePlan } from './probe-plan.js';
import type { ResponseValidator } from './spec-response-validator.js';
import type { ConformanceTarget } from './targets/conformance-target.js';

/** A request a check sends: an operation of the plan, or any method/path, with extra headers. */
export type Outgoing = Pick<ProbeOperation, 'method' | 'path'> & { headers?: Record<string, string>; body?: string };

/** What a check function works with. One context serves a whole run, so scenarios can be shared. */
export interface CheckContext {
  /** The policy the server is held to: the spec's, with --limit/--window applied. */
  readonly policy: RateLimitPolicy;
  readonly plan: ProbePlan;
  /** What the user declared the server runs with (RATE_LIMIT_MAX/RATE_LIMIT_WINDOW via --limit/--window). */
  readonly declared: { limit?: number; windowMs?: number };
  readonly clock: BudgetClock;
  readonly pool: KeyPool;
  readonly validateResponse: ResponseValidator;
  /** Sends one request as `caller` and stamps it on the budget clock. */
  send(outgoing: Outgoing, caller: Caller, step?: string): Promise<Exchange>;
  /** Runs `make` once per run and shares its result (e.g. one exhausted budget read by several checks). */
  shared<T>(name: string, make: () => Promise<T>): Promise<T>;
  fail(detail: FailureDetail): never;
  skip(reason: string): never;
}

/** What the runner needs beyond the check's view: which budgets of unknown state a check touched, and a reset of shared scenarios. */
export interface RunnerContext extends CheckContext {
  /** Budgets the current check was the first in the run to spend (their state before it is unknown). */
  readonly firstTouched: Set<BudgetTrack>;
  /** Forgets shared scenarios, so that the next check that needs one runs it afresh. */
  resetShared(): void;
}

/** Builds the context of a run over a target. */
export function createCheckContext(input: {
  target: ConformanceTarget;
  policy: RateLimitPolicy;
  plan: ProbePlan;
  declared: { limit?: number; windowMs?: number };
  clock: BudgetClock;
  pool: KeyPool;
  validateResponse: ResponseValidator;
}): RunnerContext {
  const memo = new Map<string, Promise<unknown>>();
  const firstTouched = new Set<BudgetTrack>();
  const { target, clock, pool } = input;
  return {
    policy: input.policy,
    plan: input.plan,
    declared: input.declared,
    clock,
    pool,
    validateResponse: input.validateResponse,
    async send(outgoing, caller, step) {
      const request: ProbeRequest = {
        method: outgoing.method,
        path: outgoing.path,
        headers: { ...outgoing.headers, ...caller.headers },
        body: outgoing.body,
        localAddress: caller.localAddress,
      };
      const sentAtMs = clock.now();
      let response: Exchange['response'];
      try {
        response = await target.send(request);
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        throw new CheckFailure({
          summary: `Failed to send ${request.method} ${request.path} to ${target.description}: ${reason}. Check that the server is still up and answers within 10 s.`,
          expected: 'a response',
          actual: `no response (${reason})`,
        });
      }
      const receivedAtMs = clock.now();
      if (isUntouched(caller.budget)) firstTouched.add(caller.budget);
      pool.note(caller.budget, sentAtMs, receivedAtMs);
      return { request, response, sentAtMs, receivedAtMs, caller: caller.label, step };
    },
    shared<T>(name: string, make: () => Promise<T>): Promise<T> {
      let pending = memo.get(name) as Promise<T> | undefined;
      if (!pending) {
        pending = make();
        memo.set(name, pending);
      }
      return pending;
    },
    firstTouched,
    resetShared: () => memo.clear(),
    fail(detail) {
      throw new CheckFailure(detail);
    },
    skip(reason) {
      throw new CheckSkipped(reason);
    },
  };
}
