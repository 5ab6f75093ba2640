import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Decision } from '../core/decision.js';
import type { KeyResolver } from '../core/key-resolver.js';
import type { Limiter } from '../core/limiter.js';
import type { RateLimitPolicy } from '../core/policy.js';
import { rateLimitHeaders } from '../core/rate-limit-headers.js';
import type { RequestTarget } from '../core/request-target.js';
import type { RequestToValidate, RequestViolation } from '../render/validate-with-prism.js';
import { CONTROL_PREFIX, type ControlContext, controlAllowed, handleControl } from './control-api.js';
import * as errors from './error-responses.js';
import type { Fault, FaultQueue } from './faults.js';
import type { createIdempotencyStore } from './idempotency.js';
import { type PreparedOperation, type PreparedResponse, withFreshId } from './prepared-responses.js';
import { parseJsonBody, readBody } from './read-body.js';
import type { RequestLogEntry } from './request-log.js';
import type { RouteMatch } from './router.js';
import type { ClassifiedTarget } from './target-cache.js';

/** Everything the request handler needs, built once at start-up. */
export interface MockRuntime {
  policy: RateLimitPolicy;
  /** Parses and classifies a request target (memoized; see target-cache.ts). */
  classifyUrl(url: string): ClassifiedTarget;
  resolveKey: KeyResolver;
  limiter: Limiter;
  rejectionBody(decision: Decision): Buffer;
  route(method: string, path: string): RouteMatch<PreparedOperation>;
  authenticate(headers: IncomingMessage['headers']): string | undefined;
  idempotency: ReturnType<typeof createIdempotencyStore>;
  faults: FaultQueue;
  control: ControlContext | undefined;
  validate: ((request: RequestToValidate) => Promise<RequestViolation[]>) | undefined;
  log: ((entry: RequestLogEntry) => void) | undefined;
}

const NONE: string[] = [];
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
let createdCount = 0;

function write(res: ServerResponse, method: string, response: PreparedResponse, extra: string[]): number {
  res.writeHead(response.status, extra.length === 0 ? response.headers : extra.concat(response.headers));
  if (method === 'HEAD') res.end();
  else res.end(response.wire ?? response.body.toString('latin1'), 'latin1');
  return response.status;
}

function rejection(rt: MockRuntime, decision: Decision, rlHeaders: string[]): PreparedResponse {
  const body = rt.rejectionBody(decision);
  const { status, contentType } = rt.policy.rejection;
  return {
    status,
    headers: [...rlHeaders, 'content-type', contentType, 'content-length', String(body.length)],
    body,
    wire: body.toString('latin1'),
    json: undefined,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function headerRecord(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

type Pending<T> = T | Promise<T>;
const EMPTY: Buffer = Buffer.alloc(0);

/**
 * Routes, authenticates and serves the operation's example. Synchronous unless it must read the body
 * (validation, an idempotent POST) so that the common request costs no promise.
 */
function serveOperation(rt: MockRuntime, req: IncomingMessage, res: ServerResponse, h: Handled, rl: string[]): Pending<number> {
  const { method, target, key } = h;
  const match = rt.route(method, target.path);
  if (match.kind === 'none') return write(res, method, errors.notFound(method, target.rawPath), rl);
  if (match.kind === 'method') return write(res, method, errors.methodNotAllowed(method, target.rawPath), rl.concat('allow', match.allow.join(', ')));
  const op = match.value;
  if (op.secured && rt.authenticate(req.headers) === undefined) return write(res, method, op.byStatus.get(401) ?? errors.unauthorized(), rl);
  const idempotencyKey = method === 'POST' && op.headerParams.includes('idempotency-key') ? req.headers['idempotency-key'] : undefined;
  const needsBody = WITH_BODY.has(method) && (rt.validate !== undefined || typeof idempotencyKey === 'string');
  if (needsBody || rt.validate) return serveChecked(rt, req, res, h, rl, op, idempotencyKey, needsBody);
  // An unread body is discarded by node once the response finishes.
  return serveExample(rt, res, method, op, key, rl, undefined, EMPTY);
}

/** The slow path: reads the body, validates the request with Prism, then serves. */
async function serveChecked(
  rt: MockRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  h: Handled,
  rl: string[],
  op: PreparedOperation,
  idempotencyKey: string | string[] | undefined,
  needsBody: boolean,
): Promise<number> {
  const { method, target, key } = h;
  let body = EMPTY;
  if (needsBody) {
    const read = await readBody(req);
    if (read === 'aborted') return 0;
    if (read === 'too-large') return write(res, method, errors.payloadTooLarge(), rl.concat('connection', 'close'));
    body = read;
  }
  if (rt.validate) {
    const parsed = parseJsonBody(body);
    if (!parsed.ok) return write(res, method, errors.errorResponse(400, 'Bad Request', `Body is not valid JSON: ${parsed.reason}`), rl);
    // Prism resolves the route the router matched (canonical path; HEAD as GET). If it cannot read the
    // request at all (e.g. a malformed %-escape), that is the request's fault: 400, never a 500.
    let violations: RequestViolation[];
    try {
      const url = target.query === '' ? target.path : `${target.path}?${target.query}`;
      violations = await rt.validate({ method: method === 'HEAD' ? 'GET' : method, url, headers: headerRecord(req.headers), body: parsed.value });
    } catch (error) {
      return write(
        res,
        method,
        errors.errorResponse(
          400,
          'Bad Request',
          `The request could not be validated against the spec: ${String((error as Error).message ?? error).split('\n')[0]}`,
        ),
        rl,
      );
    }
    if (violations.length > 0) {
      const message = violations.map((v) => `${v.location}: ${v.message}`).join('; ');
      return write(res, method, errors.errorResponse(422, 'Unprocessable Entity', message, { violations }), rl);
    }
  }
  return serveExample(rt, res, method, op, key, rl, idempotencyKey, body);
}

/** Serves the operation's example, or replays an idempotent POST's first result. */
function serveExample(
  rt: MockRuntime,
  res: ServerResponse,
  method: string,
  op: PreparedOperation,
  key: string,
  rl: string[],
  idempotencyKey: string | string[] | undefined,
  body: Buffer,
): number {
  if (!op.success) return write(res, method, errors.errorResponse(501, 'Not Implemented', `The spec declares no 2xx response for ${op.method} ${op.path}`), rl);
  const creates = method === 'POST' && op.success.status === 201;
  if (typeof idempotencyKey === 'string') {
    const verdict = rt.idempotency.check(key, idempotencyKey, body);
    if (verdict.kind === 'replay') return write(res, method, verdict.response, rl.concat('idempotent-replayed', 'true'));
    if (verdict.kind === 'mismatch') return write(res, method, errors.idempotencyMismatch(), rl);
    const response = creates ? withFreshId(op.success, ++createdCount) : op.success;
    rt.idempotency.remember(key, idempotencyKey, body, response);
    return write(res, method, response, rl);
  }
  return write(res, method, creates ? withFreshId(op.success, ++createdCount) : op.success, rl);
}

/** What the log line says about one request, gathered as it is handled. */
interface Handled {
  method: string;
  target: RequestTarget;
  key: string;
  /** Budget left after this request; formatted only when a log line is written. */
  remaining: number | undefined;
  startMs: number;
}

function logged(rt: MockRuntime, h: Handled, status: Pending<number>): Pending<void> {
  if (!rt.log) return status instanceof Promise ? status.then(() => undefined) : undefined;
  const log = rt.log;
  const line = (code: number) =>
    log({
      method: h.method,
      path: h.target.rawPath,
      key: h.key,
      remaining: h.remaining === undefined ? '-' : String(h.remaining),
      status: code,
      ms: performance.now() - h.startMs,
    });
  return status instanceof Promise ? status.then(line) : line(status);
}

/**
 * Handles one request: control API, exemption, budget, scripted faults, routing, auth, validation,
 * idempotency, then the pre-rendered example. The limiter runs before auth (ReconLayer: unauthenticated
 * floods are limited too), and a rejected request reads no body and consumes no idempotency key.
 * Returns a promise only when the request needs one (an async store, a body to read, a fault's latency).
 */
export function handleRequest(rt: MockRuntime, req: IncomingMessage, res: ServerResponse): Pending<void> {
  const { target, verdict } = rt.classifyUrl(req.url ?? '/');
  const h: Handled = {
    method: req.method ?? 'GET',
    target,
    key: '-',
    remaining: undefined,
    startMs: rt.log ? performance.now() : 0,
  };
  const control = rt.control;
  const path = h.target.path;
  if (control && (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`))) return logged(rt, h, serveControl(control, req, res, h));
  const fault = control ? rt.faults.take(h.method, path) : undefined;
  if (verdict !== 'limited') return logged(rt, h, serveAllowed(rt, req, res, h, NONE, fault));
  h.key = rt.resolveKey(req.headers, req.socket.remoteAddress);
  if (fault?.kind === 'status-429') {
    h.remaining = 0;
    const peeked = rt.limiter.peek(h.key);
    return logged(rt, h, peeked instanceof Promise ? peeked.then((d) => forceRejection(rt, res, h, d)) : forceRejection(rt, res, h, peeked));
  }
  const decision = rt.limiter.consume(h.key);
  if (decision instanceof Promise)
    return logged(
      rt,
      h,
      decision.then((d) => afterDecision(rt, req, res, h, d, fault)),
    );
  return logged(rt, h, afterDecision(rt, req, res, h, decision, fault));
}

function afterDecision(rt: MockRuntime, req: IncomingMessage, res: ServerResponse, h: Handled, decision: Decision, fault: Fault | undefined): Pending<number> {
  const rl = rateLimitHeaders(rt.policy.headers, decision);
  h.remaining = decision.allowed ? decision.remaining : 0;
  // A rejected request's body is never read: node discards it once the response finishes.
  if (!decision.allowed) return write(res, h.method, rejection(rt, decision, rl), NONE);
  return serveAllowed(rt, req, res, h, rl, fault);
}

/** A scripted 429 on a limited route: the budget as it stands, shown as spent; no budget is spent. */
function forceRejection(rt: MockRuntime, res: ServerResponse, h: Handled, peeked: Decision): number {
  const resetMs = peeked.resetMs || rt.policy.windowMs;
  const forced = { ...peeked, allowed: false, retryAfterMs: resetMs, resetMs };
  return write(res, h.method, rejection(rt, forced, rateLimitHeaders(rt.policy.headers, forced)), NONE);
}

function serveAllowed(rt: MockRuntime, req: IncomingMessage, res: ServerResponse, h: Handled, rl: string[], fault: Fault | undefined): Pending<number> {
  if (fault === undefined) return serveOperation(rt, req, res, h, rl);
  if (fault.kind === 'latency') return sleep(fault.latencyMs).then(() => serveOperation(rt, req, res, h, rl));
  if (fault.kind === 'status-500') return write(res, h.method, errors.injectedServerError(), rl);
  const { limit, windowMs } = rt.policy;
  return write(res, h.method, rejection(rt, { allowed: false, limit, remaining: 0, resetMs: windowMs, retryAfterMs: windowMs }, NONE), NONE);
}

async function serveControl(control: ControlContext, req: IncomingMessage, res: ServerResponse, h: Handled): Promise<number> {
  if (!controlAllowed(req, control.token)) {
    return write(
      res,
      h.method,
      errors.errorResponse(403, 'Forbidden', 'The control API answers loopback callers, or callers with the right x-ratelimit-control-token'),
      NONE,
    );
  }
  const read = await readBody(req, 65_536);
  const parsed = typeof read === 'string' ? { ok: false as const, reason: read } : parseJsonBody(read);
  if (!parsed.ok) return write(res, h.method, errors.errorResponse(400, 'Bad Request', `Control body is not JSON: ${parsed.reason}`), NONE);
  const input = parsed.value && typeof parsed.value === 'object' ? (parsed.value as Record<string, unknown>) : {};
  await handleControl(control, h.method, h.target.path, input, res);
  return res.statusCode;
}
