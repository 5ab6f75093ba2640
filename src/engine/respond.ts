import { type BudgetEntry, firstRejected, type MaybePromise } from '../core/budget-store.js';
import type { Decision } from '../core/decision.js';
import { toWholeSeconds } from '../core/headers/whole-numbers.js';
import type { RequestTarget } from '../core/request-target.js';
import type { ApiModel } from './api-model.js';
import { errorResponse, payloadTooLarge } from './error-responses.js';
import type { LimitRuntime, LimitSet } from './limit-set.js';
import { type EngineCall, finish, type Reply, startReply } from './reply.js';
import type { ScriptStep } from './scripted-steps.js';
import { MAX_BODY_BYTES, serveOperation, serveScripted } from './serve-operation.js';
import { answerStoreFault } from './store-fault.js';

const NONE: string[] = [];

/**
 * A rejection, decided by limit `index`: its status and body, the headers of every limit, and retry-after
 * (when the deciding limit sends one). The wait is the longest among the limits that refused (with
 * `atomic` stacking the request fits nowhere sooner), or the deciding limit's own (`in-order`: the later
 * middlewares never ran).
 */
function rejected(
  m: ApiModel,
  r: Reply,
  set: LimitSet,
  entries: readonly BudgetEntry[],
  decisions: readonly Decision[],
  index: number,
  nowMs: number,
  waitMs?: number,
): Reply {
  const deciding = decisions[index] as Decision;
  let retryAfterMs = waitMs ?? deciding.retryAfterMs;
  if (waitMs === undefined && decisions.length > 1 && m.policy.stacking === 'atomic')
    for (const d of decisions) if (!d.allowed && d.retryAfterMs > retryAfterMs) retryAfterMs = d.retryAfterMs;
  const spoken = retryAfterMs === deciding.retryAfterMs ? deciding : { ...deciding, retryAfterMs };
  const response = (set.limits[index] as LimitRuntime).rejection(spoken);
  r.remaining = set.remaining(decisions, index);
  const headers = set.headers(decisions, nowMs, entries, { index, retryAfterMs });
  return finish(r, response, headers, set.sendsRetryAfter(index) ? toWholeSeconds(retryAfterMs) : undefined);
}

/**
 * A scripted 429. On a limited route it shows the budget of the first limit as it stands, spent, and says
 * when to retry (the step's seconds, else the window's reset; retry-after and reset agree, as on a real
 * 429); no budget is spent. Off the limited scope it carries no rate-limit headers at all: exempt paths
 * never do (README).
 */
function scriptedRejection(
  m: ApiModel,
  r: Reply,
  step: Extract<ScriptStep, { kind: 'rate-limited' }>,
  limited?: { set: LimitSet; entries: BudgetEntry[]; peeked: Decision[] },
): Reply {
  const first = (limited?.set ?? m.rootLimits).limits[0] as LimitRuntime;
  const windowMs = first.limit.windowMs;
  const stepMs = step.retryAfterSeconds === undefined ? undefined : step.retryAfterSeconds * 1000;
  const peeked = limited?.peeked[0];
  if (!limited || peeked === undefined) {
    const waitMs = stepMs || windowMs;
    return finish(r, first.rejection({ allowed: false, limit: first.limit.limit, remaining: 0, resetMs: waitMs, retryAfterMs: waitMs }), NONE);
  }
  const waitMs = stepMs ?? (peeked.resetMs || windowMs);
  const decisions = limited.peeked.slice();
  decisions[0] = { ...peeked, allowed: false, remaining: 0, retryAfterMs: waitMs, resetMs: waitMs };
  return rejected(m, r, limited.set, limited.entries, decisions, 0, m.clock.now(), waitMs);
}

function afterDecisions(
  m: ApiModel,
  call: EngineCall,
  target: RequestTarget,
  r: Reply,
  step: ScriptStep | undefined,
  set: LimitSet,
  entries: BudgetEntry[],
  decisions: Decision[],
  nowMs: number,
): MaybePromise<Reply> {
  const rejectedAt = firstRejected(decisions);
  // A rejected request's body is never read, and it consumes no idempotency key.
  if (rejectedAt !== -1 && (step === undefined || step.kind === 'pass')) return rejected(m, r, set, entries, decisions, rejectedAt, nowMs);
  r.remaining = set.remaining(decisions, rejectedAt);
  // A scripted answer over a spent budget keeps the budget headers, but never a retry-after.
  const rl = set.headers(decisions, nowMs, entries);
  return step === undefined || step.kind === 'pass' ? serveOperation(m, call, target, r, rl) : serveScripted(m, call, target, r, rl, step);
}

/** Spends the request's budgets (one store call) and answers. */
function spend(
  m: ApiModel,
  call: EngineCall,
  target: RequestTarget,
  r: Reply,
  step: ScriptStep | undefined,
  set: LimitSet,
  body: Uint8Array | undefined,
): MaybePromise<Reply> {
  const entries = set.entries(call, target.query, body, r);
  r.remaining = 0;
  if (step?.kind === 'rate-limited') {
    const peeked = m.store.peek(entries, m.clock.now());
    return peeked instanceof Promise
      ? peeked.then(
          (d) => scriptedRejection(m, r, step, { set, entries, peeked: d }),
          () => scriptedRejection(m, r, step),
        )
      : scriptedRejection(m, r, step, { set, entries, peeked });
  }
  const nowMs = m.clock.now();
  const decisions = m.store.consume(entries, nowMs, m.policy.stacking);
  // A shared store decides on its own clock and brings m.clock up to date with its answer: read it again.
  return decisions instanceof Promise
    ? decisions.then(
        (d) => afterDecisions(m, call, target, r, step, set, entries, d, m.clock.now()),
        () => answerStoreFault(m.storeFault, r, () => serveUnlimited(m, call, target, r, step)),
      )
    : afterDecisions(m, call, target, r, step, set, entries, decisions, nowMs);
}

/** The operation's answer with no rate-limit headers, for a limited request while the store is down (fail-open). */
const serveUnlimited = (m: ApiModel, call: EngineCall, target: RequestTarget, r: Reply, step: ScriptStep | undefined): MaybePromise<Reply> =>
  step === undefined || step.kind === 'pass' ? serveOperation(m, call, target, r, NONE) : serveScripted(m, call, target, r, NONE, step);

/**
 * A cost read from the body: the body is read before any budget is spent, and handed on as bytes so the
 * operation does not read it twice. Too large: 413, nothing spent.
 */
async function spendAfterBody(m: ApiModel, call: EngineCall, target: RequestTarget, r: Reply, step: ScriptStep | undefined, set: LimitSet): Promise<Reply> {
  const read = typeof call.body === 'function' ? await call.body(MAX_BODY_BYTES) : call.body;
  if (read === 'aborted') {
    r.aborted = true;
    return finish(r, errorResponse(400, 'The client went away before its body arrived'), NONE);
  }
  if (read === 'too-large' || read.length > MAX_BODY_BYTES) {
    const match = m.route(call.method, target.path);
    const tooLarge = match.kind === 'found' ? payloadTooLarge(match.value) : errorResponse(413, 'Request body is larger than 1 MiB');
    return finish(r, tooLarge, ['connection', 'close']);
  }
  const withBody: EngineCall = { method: call.method, url: call.url, headers: call.headers, clientAddress: call.clientAddress, body: read };
  return spend(m, withBody, target, r, step, set, read);
}

/**
 * The one decision for a request, on every transport: scope (exempt paths spend nothing and carry no
 * rate-limit headers), scripted step, the limits of its operation, their keys and costs, the budgets (one
 * store call), rejection, then the operation (route, auth, validation, idempotency, the rendered example).
 * The limiter runs before auth (ReconLayer: unauthenticated floods are limited too). Synchronous unless
 * something must wait: an async store, a body to read, Prism.
 */
export function respond(m: ApiModel, call: EngineCall): MaybePromise<Reply> {
  const { target, verdict } = m.classifyUrl(call.url);
  const step = m.scripts.size === 0 ? undefined : m.scripts.take(call.method, target.path);
  const r = startReply(verdict, step);
  if (verdict !== 'limited') {
    if (step?.kind === 'rate-limited') return scriptedRejection(m, r, step);
    return step === undefined || step.kind === 'pass' ? serveOperation(m, call, target, r, NONE) : serveScripted(m, call, target, r, NONE, step);
  }
  const set = m.limitsOf(call.method, target.path);
  if (set.needsBody && step?.kind !== 'rate-limited') {
    if (typeof call.body === 'function') return spendAfterBody(m, call, target, r, step, set);
    return spend(m, call, target, r, step, set, call.body);
  }
  return spend(m, call, target, r, step, set, undefined);
}
