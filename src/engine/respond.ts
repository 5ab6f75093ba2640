import type { MaybePromise } from '../core/budget-store.js';
import type { Decision } from '../core/decision.js';
import { rateLimitHeaders, toWholeSeconds } from '../core/rate-limit-headers.js';
import type { RequestTarget } from '../core/request-target.js';
import type { ApiModel } from './api-model.js';
import { type EngineCall, finish, type Reply, startReply } from './reply.js';
import type { ScriptStep } from './scripted-steps.js';
import { serveOperation, serveScripted } from './serve-operation.js';

const NONE: string[] = [];

function rejected(m: ApiModel, r: Reply, decision: Decision): Reply {
  const retryAfterSeconds = m.policy.headers.retryAfter ? toWholeSeconds(decision.retryAfterMs) : undefined;
  return finish(r, m.rejection(decision), rateLimitHeaders(m.policy.headers, decision), retryAfterSeconds);
}

/**
 * A scripted 429. On a limited route it shows the budget as it stands, spent, and says when to retry
 * (the step's seconds, else the window's reset; retry-after and reset agree, as on a real 429); no budget
 * is spent. Off the limited scope it carries no rate-limit headers at all: exempt paths never do (README).
 */
function scriptedRejection(m: ApiModel, r: Reply, step: Extract<ScriptStep, { kind: 'rate-limited' }>, peeked: Decision | undefined): Reply {
  const { limit, windowMs } = m.policy;
  const stepMs = step.retryAfterSeconds === undefined ? undefined : step.retryAfterSeconds * 1000;
  if (peeked === undefined) {
    const waitMs = stepMs || windowMs;
    return finish(r, m.rejection({ allowed: false, limit, remaining: 0, resetMs: waitMs, retryAfterMs: waitMs }), NONE);
  }
  const waitMs = stepMs ?? (peeked.resetMs || windowMs);
  return rejected(m, r, { ...peeked, allowed: false, remaining: 0, retryAfterMs: waitMs, resetMs: waitMs });
}

function afterDecision(m: ApiModel, call: EngineCall, target: RequestTarget, r: Reply, step: ScriptStep | undefined, decision: Decision): MaybePromise<Reply> {
  r.remaining = decision.allowed ? decision.remaining : 0;
  // A rejected request's body is never read, and it consumes no idempotency key.
  if (!decision.allowed && (step === undefined || step.kind === 'pass')) return rejected(m, r, decision);
  // A scripted answer over a spent budget keeps the budget headers, but never a retry-after.
  const rl = rateLimitHeaders(m.policy.headers, decision.allowed ? decision : { ...decision, allowed: true, remaining: 0 });
  return step === undefined || step.kind === 'pass' ? serveOperation(m, call, target, r, rl) : serveScripted(m, call, target, r, rl, step);
}

/**
 * The one decision for a request, on every transport: scope (exempt paths spend nothing and carry no
 * rate-limit headers), scripted step, budget key, budget, rejection, then the operation (route, auth,
 * validation, idempotency, the rendered example). The limiter runs before auth (ReconLayer: unauthenticated
 * floods are limited too). Synchronous unless something must wait: an async store, a body to read, Prism.
 */
export function respond(m: ApiModel, call: EngineCall): MaybePromise<Reply> {
  const { target, verdict } = m.classifyUrl(call.url);
  const step = m.scripts.size === 0 ? undefined : m.scripts.take(call.method, target.path);
  const r = startReply(verdict, step);
  if (verdict !== 'limited') {
    if (step?.kind === 'rate-limited') return scriptedRejection(m, r, step, undefined);
    return step === undefined || step.kind === 'pass' ? serveOperation(m, call, target, r, NONE) : serveScripted(m, call, target, r, NONE, step);
  }
  const key = m.resolveKey(call.headers, call.clientAddress);
  r.key = key;
  r.remaining = 0;
  if (step?.kind === 'rate-limited') {
    const peeked = m.limiter.peek(key);
    return peeked instanceof Promise ? peeked.then((d) => scriptedRejection(m, r, step, d)) : scriptedRejection(m, r, step, peeked);
  }
  const decision = m.limiter.consume(key);
  return decision instanceof Promise ? decision.then((d) => afterDecision(m, call, target, r, step, d)) : afterDecision(m, call, target, r, step, decision);
}
