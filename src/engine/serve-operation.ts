import type { MaybePromise } from '../core/budget-store.js';
import type { RequestHeaders } from '../core/key-resolver.js';
import type { RequestTarget } from '../core/request-target.js';
import type { ApiModel } from './api-model.js';
import * as errors from './error-responses.js';
import type { IdempotencyClaim } from './idempotency-records.js';
import { type PreparedOperation, type PreparedResponse, textResponse, withFreshId } from './prepared-responses.js';
import { type EngineCall, finish, type Reply } from './reply.js';
import type { ScriptStep } from './scripted-steps.js';
import { answerStoreFault } from './store-fault.js';

/** Largest request body the engine reads (idempotency, validation); larger gets 413. */
export const MAX_BODY_BYTES = 1_048_576;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const EMPTY: Uint8Array = new Uint8Array(0);
const decoder = new TextDecoder();

/** A scripted `reply` or a server error's own body: a JSON-able body is serialized, a string sent as is. */
function custom(status: number, body: unknown, headers: Record<string, string> = {}): PreparedResponse {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const named = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  const contentType = body === undefined || named ? undefined : typeof body === 'string' ? 'text/plain' : 'application/json';
  return textResponse(status, text, contentType, Object.entries(headers).flat());
}

/**
 * A scripted server error or reply, after the request spent its budget as a real server would. A server
 * error's body is the spec's example for that status, else the step's body, else the spec's range or
 * default response (error-responses.ts), else a Fastify-style error.
 */
export function serveScripted(m: ApiModel, call: EngineCall, target: RequestTarget, r: Reply, rl: string[], step: ScriptStep): Reply {
  if (step.kind === 'reply') return finish(r, custom(step.status, step.body, step.headers), rl);
  const status = step.kind === 'server-error' ? step.status : 500;
  const match = m.route(call.method, target.path);
  const op = match.kind === 'found' ? match.value : undefined;
  const example = op?.byStatus.get(status);
  const body = step.kind === 'server-error' ? step.body : undefined;
  return finish(r, example ?? (body === undefined ? errors.scriptedServerError(op, m.operations, status) : custom(status, body)), rl);
}

/**
 * Routes, authenticates and serves the operation's example. Synchronous unless it must read the body
 * (validation, an idempotent POST), so that the common request costs no promise.
 */
export function serveOperation(m: ApiModel, call: EngineCall, target: RequestTarget, r: Reply, rl: string[]): MaybePromise<Reply> {
  const { method } = call;
  const match = m.route(method, target.path);
  if (match.kind === 'none') return finish(r, errors.notFound(m.operations, method, target.rawPath), rl);
  if (match.kind === 'method') return finish(r, errors.methodNotAllowed(m.operations, method, target.rawPath), rl.concat('allow', match.allow.join(', ')));
  const op = match.value;
  if (op.secured && m.authenticate(call.headers) === undefined) return finish(r, errors.unauthorized(op), rl);
  const sent = method === 'POST' && op.headerParams.includes('idempotency-key') ? call.headers['idempotency-key'] : undefined;
  const idempotencyKey = typeof sent === 'string' ? sent : undefined;
  const needsBody = WITH_BODY.has(method) && (m.validate !== undefined || idempotencyKey !== undefined);
  if (needsBody || m.validate) return serveChecked(m, call, target, r, rl, op, idempotencyKey, needsBody);
  // An unread body is discarded by the transport (node drops it once the response finishes).
  return serveExample(m, call, r, rl, op, undefined, EMPTY);
}

function headerRecord(headers: RequestHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** The slow path: reads the body, validates the request with Prism, then serves. */
async function serveChecked(
  m: ApiModel,
  call: EngineCall,
  target: RequestTarget,
  r: Reply,
  rl: string[],
  op: PreparedOperation,
  idempotencyKey: string | undefined,
  needsBody: boolean,
): Promise<Reply> {
  let body = EMPTY;
  if (needsBody) {
    const read = typeof call.body === 'function' ? await call.body(MAX_BODY_BYTES) : call.body;
    if (read === 'aborted') {
      r.aborted = true;
      return finish(r, errors.errorResponse(400, 'The client went away before its body arrived'), rl);
    }
    if (read === 'too-large' || read.length > MAX_BODY_BYTES) return finish(r, errors.payloadTooLarge(op), rl.concat('connection', 'close'));
    body = read;
  }
  if (m.validate) {
    let value: unknown;
    try {
      value = body.length === 0 ? undefined : JSON.parse(decoder.decode(body));
    } catch (error) {
      return finish(r, errors.badRequest(op, `Body is not valid JSON: ${(error as Error).message}`), rl);
    }
    // Prism resolves the route the router matched (canonical path; HEAD as GET). If it cannot read the
    // request at all (e.g. a malformed %-escape), that is the request's fault: 400, never a 500.
    let violations: Awaited<ReturnType<typeof m.validate>>;
    try {
      const url = target.query === '' ? target.path : `${target.path}?${target.query}`;
      violations = await m.validate({ method: call.method === 'HEAD' ? 'GET' : call.method, url, headers: headerRecord(call.headers), body: value });
    } catch (error) {
      const reason = String((error as Error).message ?? error).split('\n')[0];
      return finish(r, errors.badRequest(op, `The request could not be validated against the spec: ${reason}`), rl);
    }
    if (violations.length > 0) {
      const message = violations.map((v) => `${v.location}: ${v.message}`).join('; ');
      return finish(r, errors.invalidRequest(op, message, violations), rl);
    }
  }
  return serveExample(m, call, r, rl, op, idempotencyKey, body);
}

/**
 * Serves the operation's example (a POST that creates gets a fresh id), or replays an idempotent POST's
 * first result. The idempotency owner is the caller's budget key, resolved as the limiter would, also off
 * the limited scope.
 */
function serveExample(
  m: ApiModel,
  call: EngineCall,
  r: Reply,
  rl: string[],
  op: PreparedOperation,
  idempotencyKey: string | undefined,
  body: Uint8Array,
): MaybePromise<Reply> {
  if (!op.success) return finish(r, errors.notImplemented(op), rl);
  const creates = call.method === 'POST' && op.success.status === 201;
  if (idempotencyKey === undefined) return finish(r, creates ? withFreshId(op.success, m.nextCreatedId()) : op.success, rl);
  return serveIdempotent(m, call, r, rl, op, op.success, creates, idempotencyKey, body);
}

/** An idempotent POST: its first answer, recorded (in the shared store too), or the record's replay or refusal. */
function serveIdempotent(
  m: ApiModel,
  call: EngineCall,
  r: Reply,
  rl: string[],
  op: PreparedOperation,
  success: PreparedResponse,
  creates: boolean,
  idempotencyKey: string,
  body: Uint8Array,
): MaybePromise<Reply> {
  const create = () => (creates ? withFreshId(success, m.nextCreatedId()) : success);
  const owner = r.key ?? m.resolveKey(call.headers, call.clientAddress);
  const claim = m.idempotency.claim(owner, idempotencyKey, body, create);
  if (!(claim instanceof Promise)) return answerClaim(r, rl, claim, op);
  // A shared store that cannot answer: without the record, serve (open) or refuse (closed), as for budgets.
  return claim.then(
    (c) => answerClaim(r, rl, c, op),
    () => answerStoreFault(m.storeFault, r, () => finish(r, create(), rl)),
  );
}

function answerClaim(r: Reply, rl: string[], claim: IdempotencyClaim, op: PreparedOperation): Reply {
  if (claim.kind === 'replay') return finish(r, claim.response, rl.concat('idempotent-replayed', 'true'));
  if (claim.kind === 'mismatch') return finish(r, errors.idempotencyMismatch(op), rl);
  return finish(r, claim.response, rl);
}
