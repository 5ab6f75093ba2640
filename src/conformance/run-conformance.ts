import { formatDurationLong } from '../core/duration.js';
import { RateLimitContractError } from '../core/errors.js';
import { type OptionSpelling, optionLabel } from '../core/option-names.js';
import type { HeaderNames } from '../core/policy.js';
import { detectBudgetClock } from './budget-clock.js';
import { createCheckContext, type RunnerContext } from './check-context.js';
import { CheckFailure, type CheckResult, CheckSkipped, type ConformanceCheck } from './conformance-check.js';
import { type ConformanceSuite, resolveSuite, type SuiteOptions } from './conformance-suite.js';
import { createExchangeRecorder, type ExchangeRecorder } from './exchange-log.js';
import { createKeyPool, usableLoopbackAddresses } from './key-pool.js';
import { createCredentialMasker } from './mask-credentials.js';
import { createResponseValidator } from './spec-response-validator.js';
import { resolveTarget, type TargetInput } from './targets/resolve-target.js';

/** Options of `runConformance`: the suite, the target, and how to reach it. */
export interface ConformanceOptions extends SuiteOptions {
  /** A base URL, an `http.Server`, or a request listener such as an Express app. */
  target: TargetInput;
  /** `auto` (default) uses the mock's virtual clock when its control API answers; `real` always waits in real time. */
  clock?: 'auto' | 'real';
  /** The mock's control token, when it was started with a control token (`--control-token`). */
  controlToken?: string;
  /** Per-request timeout, default 10 s. */
  requestTimeoutMs?: number;
  /** Called as each check starts and ends (the CLI's progress). */
  onCheckStart?(check: ConformanceCheck, index: number, total: number): void;
  onCheckEnd?(result: CheckResult, index: number, total: number): void;
}

/** What a run resolves to. */
export interface ConformanceReport {
  suite: string;
  target: string;
  clock: 'virtual' | 'real';
  limit: number;
  windowMs: number;
  durationMs: number;
  results: CheckResult[];
  /** `blocked`: failed checks that an earlier failed check explains (each names it in `blockedBy`). */
  summary: { passed: number; failed: number; skipped: number; blocked: number };
  /** The rate-limit header names the server was held to (the HTML report labels its charts with them). */
  headerNames?: HeaderNames;
}

/** The longest a check waits in real time for a budget that every limit has left alone for its window. */
const REAL_WAIT_BUDGET_MS = 30_000;

function tooLongWait(suite: ConformanceSuite, waitMs: number): never {
  throw new CheckSkipped(
    `every budget the suite can use was spent within the longest window of the spec (${formatDurationLong(suite.freshnessMs)}), and the next is fresh in ${formatDurationLong(waitMs)}: add principals to the credentials file, or run the server with shorter windows in CI`,
  );
}

/** A session over one target: the context is shared by every check, so checks can reuse a spent budget. */
export interface ConformanceSession {
  readonly suite: ConformanceSuite;
  readonly target: string;
  readonly clock: 'virtual' | 'real';
  run(check: ConformanceCheck): Promise<CheckResult>;
  close(): Promise<void>;
}

function unreachable(target: string, error: NodeJS.ErrnoException, spelling: OptionSpelling): RateLimitContractError {
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'no such host',
    ETIMEDOUT: 'no answer in time',
    ECONNRESET: 'the connection was reset',
    EHOSTUNREACH: 'host unreachable',
  };
  const reason = reasons[error.code ?? ''] ?? error.code ?? error.message;
  return new RateLimitContractError(
    'ERR_RLC_TARGET',
    `Failed to reach the target ${target}: ${reason}. Start the server first, or fix ${optionLabel('target', spelling).name}.`,
  );
}

async function attempt(ctx: RunnerContext, check: ConformanceCheck): Promise<Pick<CheckResult, 'status' | 'reason' | 'failure'>> {
  try {
    await check.run(ctx);
    return { status: 'passed' };
  } catch (error) {
    if (error instanceof CheckSkipped) return { status: 'skipped', reason: error.reason };
    if (error instanceof CheckFailure) return { status: 'failed', failure: error.detail };
    const message = (error as Error).message;
    return { status: 'failed', failure: { summary: `The check could not complete: ${message}`, expected: 'the check to run to the end', actual: message } };
  }
}

/**
 * Runs one check. Against a real server, a check that fails after being the first to spend some budget
 * may have met budgets spent just before this run (a previous run inside the window): the suite then
 * stops trusting every untouched budget until the session's start plus a window, forgets its shared
 * scenarios, and runs the check once more. A real defect fails again; the second result stands.
 * A failure that an earlier failed check explains (its finding) is reported as blocked by that check;
 * otherwise the failure's own finding is recorded for the checks that follow.
 */
async function runOne(ctx: RunnerContext, recorder: ExchangeRecorder, check: ConformanceCheck, openedAtMs: number): Promise<Omit<CheckResult, 'durationMs'>> {
  ctx.firstTouched.clear();
  // Each attempt records its own requests: the result stands on the last one.
  let log = recorder.createLog();
  let outcome = await attempt(ctx.recordingTo(log), check);
  if (outcome.status === 'failed' && ctx.clock.kind === 'real' && ctx.firstTouched.size > 0) {
    ctx.pool.quarantineUntouched(openedAtMs + ctx.freshnessMs + ctx.clock.marginMs);
    ctx.resetShared();
    ctx.firstTouched.clear();
    log = recorder.createLog();
    outcome = await attempt(ctx.recordingTo(log), check);
  }
  const base = { id: check.id, title: check.title, clause: check.clause, exchanges: recorder.snapshot(log) };
  const failure = outcome.failure;
  if (outcome.status !== 'failed' || !failure) return { ...base, ...outcome };
  const explainers = failure.explainedBy ?? check.blockedBy ?? [];
  const finding = explainers.map((kind) => ctx.findings.get(kind)).find((f) => f !== undefined && f.checkId !== check.id);
  if (finding) return { ...base, status: 'blocked', blockedBy: finding.checkId, reason: `blocked by ${finding.checkId}: ${finding.summary}`, failure };
  if (failure.finding) ctx.record({ kind: failure.finding, checkId: check.id, summary: failure.summary });
  return { ...base, ...outcome };
}

/** Opens a session: reaches the target once (detecting the mock's virtual clock), and plans the probes. */
export async function openConformanceSession(
  suite: ConformanceSuite,
  options: Pick<ConformanceOptions, 'target' | 'clock' | 'controlToken' | 'requestTimeoutMs'>,
): Promise<ConformanceSession> {
  const { plan } = suite;
  const target = await resolveTarget(options.target, { requestTimeoutMs: options.requestTimeoutMs, spelling: suite.spelling });
  const addresses = target.loopback ? await usableLoopbackAddresses() : [undefined];
  let detection: Awaited<ReturnType<typeof detectBudgetClock>>;
  try {
    detection = await detectBudgetClock((request) => target.send(request), {
      prefer: options.clock,
      controlToken: options.controlToken,
      localAddress: addresses[0],
    });
  } catch (error) {
    await target.close();
    throw unreachable(target.description, error as NodeJS.ErrnoException, suite.spelling);
  }
  const { clock } = detection;
  const openedAtMs = detection.sentAtMs;
  // A budget is fresh once the longest window has passed; against a real clock, a wait much longer than the
  // probe's window (a daily quota beside a burst) skips the check instead, saying how to avoid it.
  const longWindows = clock.kind === 'real' && suite.freshnessMs > suite.policy.windowMs;
  const pool = createKeyPool({
    principals: suite.principals,
    addresses,
    clock,
    windowMs: suite.freshnessMs,
    ...(longWindows ? { maxWaitMs: Math.max(REAL_WAIT_BUDGET_MS, 3 * suite.policy.windowMs), tooLong: (waitMs) => tooLongWait(suite, waitMs) } : {}),
  });
  if (clock.kind === 'real') pool.note(pool.defaultCaller.budget, detection.sentAtMs, detection.receivedAtMs);
  const mask = createCredentialMasker(suite.secretHeaders, suite.credentials);
  const recorder = createExchangeRecorder(suite.policy, clock.now());
  const ctx = createCheckContext({
    recorder,
    target,
    policy: suite.policy,
    plan,
    ...(suite.limits ? { limits: suite.limits } : {}),
    freshnessMs: suite.freshnessMs,
    declared: suite.declared,
    spelling: suite.spelling,
    clock,
    pool,
    validateResponse: await createResponseValidator(suite.spec.document),
  });
  // Scenarios that take real time (a late-window one) start beside the checks, on budgets of their own, as
  // soon as the foundation checks have run (they must not see a budget spent by work running beside them).
  const active = suite.checks.filter((check) => !suite.skip.has(check.id));
  const foundationsLeft = new Set(active.filter((check) => check.foundation).map((check) => check.id));
  let prepared = false;
  const prepareAhead = () => {
    if (prepared || foundationsLeft.size > 0 || clock.kind !== 'real') return;
    prepared = true;
    const ahead = ctx.recordingTo();
    for (const check of active) check.prepare?.(ahead);
  };
  prepareAhead();
  let closed = false;
  return {
    suite,
    target: target.description,
    clock: clock.kind,
    async run(check) {
      const started = performance.now();
      const result = await runOne(ctx, recorder, check, openedAtMs);
      foundationsLeft.delete(check.id);
      prepareAhead();
      return mask({ ...result, durationMs: performance.now() - started });
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await clock.restore();
      } finally {
        await target.close();
      }
    },
  };
}

/**
 * Runs the suite against a target and resolves to the results (it never throws for a failed check;
 * it throws a RateLimitContractError for bad options or an unreachable target).
 * @example const report = await runConformance({ profile: 'reconlayer', target: 'http://127.0.0.1:3001', limit: 5, window: '2s' });
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const started = performance.now();
  const suite = resolveSuite(options);
  const session = await openConformanceSession(suite, options);
  const results: CheckResult[] = [];
  try {
    for (const [index, check] of suite.checks.entries()) {
      options.onCheckStart?.(check, index, suite.checks.length);
      const reason = suite.skip.get(check.id);
      const result: CheckResult =
        reason !== undefined ? { id: check.id, title: check.title, clause: check.clause, status: 'skipped', durationMs: 0, reason } : await session.run(check);
      results.push(result);
      options.onCheckEnd?.(result, index, suite.checks.length);
    }
  } finally {
    await session.close();
  }
  return reportOf(session, results, performance.now() - started);
}

/** The report of a session's results (as `runConformance` resolves to; the vitest front end builds one for its HTML report). */
export function reportOf(session: Pick<ConformanceSession, 'suite' | 'target' | 'clock'>, results: CheckResult[], durationMs: number): ConformanceReport {
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  return {
    suite: session.suite.name,
    target: session.target,
    clock: session.clock,
    limit: session.suite.policy.limit,
    windowMs: session.suite.policy.windowMs,
    durationMs,
    results,
    summary: { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), blocked: count('blocked') },
    headerNames: session.suite.policy.headers,
  };
}
