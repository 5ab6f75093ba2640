import type { OptionSpelling } from '../core/option-names.js';
import type { SingleLimitView } from '../core/single-limit-view.js';
import type { BudgetClock } from './budget-clock.js';
import { CheckFailure, CheckSkipped, type Exchange, type FailureDetail, type FindingKind, type ProbeRequest } from './conformance-check.js';
import type { ExchangeLog, ExchangeRecorder } from './exchange-log.js';
import { type BudgetTrack, type Caller, isUntouched, type KeyPool } from './key-pool.js';
import type { PolicyLimits } from './per-limit/limit-model.js';
import type { ProbeOperation, ProbePlan } from './probe-plan.js';
import type { ResponseValidator } from './spec-response-validator.js';
import type { ConformanceTarget } from './targets/conformance-target.js';

/** A request a check sends: an operation of the plan, or any method/path, with extra headers. */
export type Outgoing = Pick<ProbeOperation, 'method' | 'path'> & { headers?: Record<string, string>; body?: string };

/** How a request travels: which connection carries it, and whether it belongs to a background scenario. */
export interface SendOptions {
  /** `fresh`: a new connection; a number: a keep-alive socket of its own; default: the shared keep-alive pool. */
  connection?: 'fresh' | number;
  /** Sent by work running beside the checks (not by the check that is running). */
  background?: boolean;
}

/** What an earlier failed check established (see FindingKind), and its id. */
export interface Finding {
  kind: FindingKind;
  checkId: string;
  summary: string;
}

/** What a check function works with. One context serves a whole run, so scenarios can be shared. */
export interface CheckContext {
  /** The policy the server is held to: the spec's, with --limit/--window applied. */
  readonly policy: SingleLimitView;
  readonly plan: ProbePlan;
  /** Every limit of a spec (absent for the embedded profiles): the per-limit checks, and budgets spent before the run. */
  readonly limits?: PolicyLimits;
  /** How long a budget must be left alone to be fresh for every limit (the longest window). */
  readonly freshnessMs: number;
  /** What the user declared the server runs with (RATE_LIMIT_MAX/RATE_LIMIT_WINDOW via --limit/--window). */
  readonly declared: { limit?: number; windowMs?: number };
  /** How messages name the suite's options: `--limit` (the CLI) or the limit option (code). */
  readonly spelling: OptionSpelling;
  readonly clock: BudgetClock;
  readonly pool: KeyPool;
  readonly validateResponse: ResponseValidator;
  /** Findings of earlier failed checks, by kind (the first one of each kind). */
  readonly findings: ReadonlyMap<FindingKind, Finding>;
  /** Sends one request as `caller` and stamps it on the budget clock. */
  send(outgoing: Outgoing, caller: Caller, step?: string, options?: SendOptions): Promise<Exchange>;
  /**
   * Sends requests one after another (each item as its caller) and returns them in order: the same as
   * `send` in a loop, but against the mock's virtual clock pipelined on one connection, so that a large
   * limit costs little time. Items must share a source address.
   */
  sendBatch(items: Array<{ outgoing: Outgoing; caller: Caller; step: string }>, options?: Pick<SendOptions, 'background'>): Promise<Exchange[]>;
  /**
   * Sends `count` copies of one request as `caller` at once, each over a connection of its own opened
   * beforehand, so that they reach the server together. `step(i)` labels the i-th (1-based).
   */
  burst(outgoing: Outgoing, caller: Caller, count: number, step: (i: number) => string, options?: Pick<SendOptions, 'background'>): Promise<Exchange[]>;
  /** Runs `make` once per run and shares its result (e.g. one exhausted budget read by several checks). */
  shared<T>(name: string, make: () => Promise<T>): Promise<T>;
  fail(detail: FailureDetail): never;
  skip(reason: string): never;
}

/** What the runner needs beyond the check's view: which budgets of unknown state a check touched, and a reset of shared scenarios. */
export interface RunnerContext extends CheckContext {
  /** Budgets the current check was the first in the run to spend (their state before it is unknown). */
  readonly firstTouched: Set<BudgetTrack>;
  /** Records a failed check's finding (the first of each kind stands). */
  record(finding: Finding): void;
  /** Forgets shared scenarios, so that the next check that needs one runs it afresh (background ones are kept). */
  resetShared(): void;
  /**
   * The same context, recording the requests sent through it in `log` (a check's); with no log, only in the
   * shared scenarios it starts (work started ahead).
   */
  recordingTo(log?: ExchangeLog): RunnerContext;
}

/** Builds the context of a run over a target. */
export function createCheckContext(input: {
  target: ConformanceTarget;
  policy: SingleLimitView;
  plan: ProbePlan;
  limits?: PolicyLimits;
  freshnessMs?: number;
  declared: { limit?: number; windowMs?: number };
  spelling: OptionSpelling;
  clock: BudgetClock;
  pool: KeyPool;
  validateResponse: ResponseValidator;
  /** Where each request is recorded, for the check (or shared scenario) that sent it. */
  recorder: ExchangeRecorder;
}): RunnerContext {
  const memo = new Map<string, { pending: Promise<unknown>; log: ExchangeLog }>();
  const findings = new Map<FindingKind, Finding>();
  const firstTouched = new Set<BudgetTrack>();
  const { target, clock, pool, recorder } = input;
  const request = (outgoing: Outgoing, caller: Caller, connection?: 'fresh' | number): ProbeRequest => ({
    method: outgoing.method,
    path: outgoing.path,
    headers: { ...outgoing.headers, ...caller.headers },
    body: outgoing.body,
    localAddress: caller.localAddress,
    ...(connection === undefined ? {} : { connection }),
  });
  const unanswered = (probe: ProbeRequest, error: unknown) => {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return new CheckFailure({
      summary: `Failed to send ${probe.method} ${probe.path} to ${target.description}: ${reason}. Check that the server is still up and answers within 10 s.`,
      expected: 'a response',
      actual: `no response (${reason})`,
    });
  };
  const stamp = (caller: Caller, background: boolean | undefined, sentAtMs: number, receivedAtMs: number) => {
    if (!background && isUntouched(caller.budget)) firstTouched.add(caller.budget);
    pool.note(caller.budget, sentAtMs, receivedAtMs);
  };
  const keep = (log: ExchangeLog | undefined, exchange: Exchange): Exchange => {
    if (log) recorder.add(log, exchange);
    return exchange;
  };
  const contextFor = (cursor: { log?: ExchangeLog }): RunnerContext => ({
    policy: input.policy,
    plan: input.plan,
    ...(input.limits ? { limits: input.limits } : {}),
    freshnessMs: input.freshnessMs ?? input.policy.windowMs,
    declared: input.declared,
    spelling: input.spelling,
    clock,
    pool,
    validateResponse: input.validateResponse,
    findings,
    async send(outgoing, caller, step, options = {}) {
      const log = cursor.log;
      const probe = request(outgoing, caller, options.connection);
      const sentAtMs = clock.now();
      let response: Exchange['response'];
      try {
        response = await target.send(probe);
      } catch (error) {
        throw unanswered(probe, error);
      }
      const receivedAtMs = clock.now();
      stamp(caller, options.background, sentAtMs, receivedAtMs);
      return keep(log, { request: probe, response, sentAtMs, receivedAtMs, caller: caller.label, step });
    },
    async sendBatch(items, options = {}) {
      const first = items[0];
      const pipelined =
        clock.kind === 'virtual' &&
        target.sendSequence !== undefined &&
        items.length > 1 &&
        items.every((i) => i.caller.localAddress === first?.caller.localAddress);
      if (!pipelined) {
        const out: Exchange[] = [];
        for (const item of items) out.push(await this.send(item.outgoing, item.caller, item.step, options));
        return out;
      }
      const log = cursor.log;
      const probes = items.map((item) => request(item.outgoing, item.caller));
      const sentAtMs = clock.now();
      let responses: Exchange['response'][];
      try {
        responses = await (target.sendSequence as NonNullable<ConformanceTarget['sendSequence']>)(probes);
      } catch (error) {
        throw unanswered(probes[0] as ProbeRequest, error);
      }
      const receivedAtMs = clock.now();
      return items.map((item, i) => {
        stamp(item.caller, options.background, sentAtMs, receivedAtMs);
        return keep(log, {
          request: probes[i] as ProbeRequest,
          response: responses[i] as Exchange['response'],
          sentAtMs,
          receivedAtMs,
          caller: item.caller.label,
          step: item.step,
        });
      });
    },
    async burst(outgoing, caller, count, step, options = {}) {
      const log = cursor.log;
      const probes = Array.from({ length: count }, () => request(outgoing, caller, 'fresh'));
      let fire: () => Promise<Array<PromiseSettledResult<Exchange['response']>>>;
      try {
        fire = target.prepareBurst
          ? await target.prepareBurst(probes, { pipelined: clock.kind === 'virtual' })
          : () => Promise.allSettled(probes.map((probe) => target.send(probe)));
      } catch (error) {
        throw unanswered(probes[0] as ProbeRequest, error);
      }
      const sentAtMs = clock.now();
      const settled = await fire();
      const receivedAtMs = clock.now();
      return settled.map((outcome, i) => {
        if (outcome.status === 'rejected') throw unanswered(probes[i] as ProbeRequest, outcome.reason);
        stamp(caller, options.background, sentAtMs, receivedAtMs);
        return keep(log, {
          request: probes[i] as ProbeRequest,
          response: outcome.value,
          sentAtMs,
          receivedAtMs,
          caller: caller.label,
          step: step(i + 1),
        });
      });
    },
    shared<T>(name: string, make: () => Promise<T>): Promise<T> {
      const reader = cursor.log;
      let entry = memo.get(name);
      if (!entry) {
        // The scenario's requests are recorded apart, and shown with every check that reads it: until it
        // settles, what this context sends is the scenario's (a check awaits its scenario before going on).
        const log = recorder.createLog(name);
        cursor.log = log;
        let pending: Promise<T>;
        try {
          pending = make();
        } catch (error) {
          pending = Promise.reject(error);
        }
        const restore = () => {
          if (cursor.log === log) cursor.log = reader;
        };
        // Registered before any reader awaits it, so it runs first; it also keeps a failure of work started
        // ahead (see ConformanceCheck.prepare) from going unhandled before a check awaits it.
        pending.then(restore, restore);
        entry = { pending, log };
        memo.set(name, entry);
      }
      reader?.link(entry.log);
      return entry.pending as Promise<T>;
    },
    firstTouched,
    record(finding) {
      if (!findings.has(finding.kind)) findings.set(finding.kind, finding);
    },
    resetShared: () => {
      for (const name of [...memo.keys()]) if (!name.startsWith('background:')) memo.delete(name);
    },
    fail(detail) {
      throw new CheckFailure(detail);
    },
    skip(reason) {
      throw new CheckSkipped(reason);
    },
    recordingTo: (log) => contextFor({ log }),
  });
  return contextFor({});
}
