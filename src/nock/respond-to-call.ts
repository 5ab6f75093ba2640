import { STATUS_CODES } from 'node:http';
import type { Decision } from '../core/decision.js';
import { rateLimitHeaders, toWholeSeconds } from '../core/rate-limit-headers.js';
import { parseRequestTarget } from '../core/request-target.js';
import type { ScopeVerdict } from '../core/scope.js';
import * as errors from '../mock/error-responses.js';
import { type PreparedResponse, withFreshId } from '../mock/prepared-responses.js';
import type { ApiModel } from './load-api-model.js';
import type { ScriptStep } from './scripted-sequence.js';

/** A request as the responder reads it. */
export interface IncomingCall {
  method: string;
  /** Path and query as sent. */
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
}

/** The answer, with what the attempt log keeps about it. */
export interface CallReply {
  status: number;
  /** Flat [name, value, …] list. */
  headers: string[];
  body: Buffer;
  scope: ScopeVerdict;
  key: string | undefined;
  remaining: number | undefined;
  retryAfterSeconds: number | undefined;
  latencyMs: number;
}

let createdCount = 0;

function reply(response: PreparedResponse, rl: string[], extra: Partial<CallReply> & Pick<CallReply, 'scope'>): CallReply {
  return {
    status: response.status,
    headers: rl.concat(response.headers),
    body: response.body,
    key: undefined,
    remaining: undefined,
    retryAfterSeconds: undefined,
    latencyMs: 0,
    ...extra,
  };
}

function rejection(model: ApiModel, decision: Decision): PreparedResponse {
  const body = model.rejectionBody(decision);
  const { status, contentType } = model.policy.rejection;
  return {
    status,
    headers: [...rateLimitHeaders(model.policy.headers, decision), 'content-type', contentType, 'content-length', String(body.length)],
    body,
    json: undefined,
  };
}

function custom(step: Extract<ScriptStep, { kind: 'reply' }>): PreparedResponse {
  const body = Buffer.from(step.body === undefined ? '' : typeof step.body === 'string' ? step.body : JSON.stringify(step.body));
  const headers = Object.entries(step.headers ?? {}).flat();
  if (step.body !== undefined && !Object.keys(step.headers ?? {}).some((h) => h.toLowerCase() === 'content-type'))
    headers.push('content-type', typeof step.body === 'string' ? 'text/plain' : 'application/json');
  return { status: step.status, headers: headers.concat('content-length', String(body.length)), body, json: undefined };
}

/**
 * Answers one request the way the mock server does (scope, budget, auth, route, idempotency, the
 * rendered example), with a scripted step taking precedence: a scripted 429 spends no budget, a
 * scripted 500 or reply spends it as a real server would, `pass` follows the budget.
 */
export async function respondToCall(model: ApiModel, call: IncomingCall, step: ScriptStep | undefined): Promise<CallReply> {
  const target = parseRequestTarget(call.path);
  const scope = model.classify(target);
  const latencyMs = step?.kind === 'pass' ? step.latencyMs : 0;
  let rl: string[] = [];
  let key: string | undefined;
  let remaining: number | undefined;
  if (scope === 'limited') {
    key = model.resolveKey(call.headers, model.clientIp);
    if (step?.kind === 'rate-limited') {
      const peeked = await model.limiter.peek(key);
      const waitMs = step.retryAfterSeconds !== undefined ? step.retryAfterSeconds * 1000 : peeked.resetMs || model.policy.windowMs;
      // The script says when "the window resets": retry-after and x-ratelimit-reset agree, as on a real 429.
      const forced: Decision = { ...peeked, allowed: false, remaining: 0, retryAfterMs: waitMs, resetMs: waitMs };
      return reply(rejection(model, forced), [], {
        scope,
        key,
        remaining: 0,
        retryAfterSeconds: model.policy.headers.retryAfter ? toWholeSeconds(waitMs) : undefined,
      });
    }
    const decision = await model.limiter.consume(key);
    remaining = decision.allowed ? decision.remaining : 0;
    if (!decision.allowed && (step === undefined || step.kind === 'pass')) {
      const retryAfterSeconds = model.policy.headers.retryAfter ? toWholeSeconds(decision.retryAfterMs) : undefined;
      return reply(rejection(model, decision), [], { scope, key, remaining, retryAfterSeconds, latencyMs });
    }
    // A scripted answer over a spent budget keeps the budget headers but never a retry-after.
    rl = rateLimitHeaders(model.policy.headers, decision.allowed ? decision : { ...decision, allowed: true, remaining: 0 });
  } else if (step?.kind === 'rate-limited') {
    const forced: Decision = {
      allowed: false,
      limit: model.policy.limit,
      remaining: 0,
      resetMs: model.policy.windowMs,
      retryAfterMs: (step.retryAfterSeconds ?? 0) * 1000 || model.policy.windowMs,
    };
    return reply(rejection(model, forced), [], { scope });
  }
  const extra = { scope, key, remaining, latencyMs };
  if (step?.kind === 'reply') return reply(custom(step), rl, extra);
  const match = model.route(call.method, target.path);
  const op = match.kind === 'found' ? match.value : undefined;
  if (step?.kind === 'server-error') {
    const fallback =
      step.body === undefined
        ? errors.errorResponse(step.status, STATUS_CODES[step.status] ?? 'Server Error', 'Scripted fault (nock helper)')
        : custom({ kind: 'reply', times: 1, status: step.status, body: step.body });
    return reply(op?.byStatus.get(step.status) ?? fallback, rl, extra);
  }
  if (match.kind === 'none') return reply(errors.notFound(call.method, target.rawPath), rl, extra);
  if (match.kind === 'method') return reply(errors.methodNotAllowed(call.method, target.rawPath), rl.concat('allow', match.allow.join(', ')), extra);
  if (!op) return reply(errors.internalError(), rl, extra);
  if (op.secured && model.authenticate(call.headers) === undefined) return reply(op.byStatus.get(401) ?? errors.unauthorized(), rl, extra);
  if (!op.success) return reply(errors.errorResponse(501, 'Not Implemented', `The spec declares no 2xx response for ${op.method} ${op.path}`), rl, extra);
  const creates = call.method === 'POST' && op.success.status === 201;
  const idempotencyKey = call.method === 'POST' && op.headerParams.includes('idempotency-key') ? call.headers['idempotency-key'] : undefined;
  if (idempotencyKey !== undefined) {
    const owner = key ?? `ip:${model.clientIp}`;
    const verdict = model.idempotency.check(owner, idempotencyKey, call.body);
    if (verdict.kind === 'replay') return reply(verdict.response, rl.concat('idempotent-replayed', 'true'), extra);
    if (verdict.kind === 'mismatch') return reply(errors.idempotencyMismatch(), rl, extra);
    const response = creates ? withFreshId(op.success, ++createdCount) : op.success;
    model.idempotency.remember(owner, idempotencyKey, call.body, response);
    return reply(response, rl, extra);
  }
  return reply(creates ? withFreshId(op.success, ++createdCount) : op.success, rl, extra);
}
