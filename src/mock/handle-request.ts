import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Decision } from '../core/decision.js';
import type { KeyResolver } from '../core/key-resolver.js';
import type { Limiter } from '../core/limiter.js';
import type { RateLimitPolicy } from '../core/policy.js';
import { rateLimitHeaders } from '../core/rate-limit-headers.js';
import type { RequestTarget } from '../core/request-target.js';
import { parseRequestTarget } from '../core/request-target.js';
import type { ScopeVerdict } from '../core/scope.js';
import type { RequestToValidate, RequestViolation } from '../render/validate-with-prism.js';
import { CONTROL_PREFIX, type ControlContext, controlAllowed, handleControl } from './control-api.js';
import * as errors from './error-responses.js';
import type { FaultQueue } from './faults.js';
import type { createIdempotencyStore } from './idempotency.js';
import { type PreparedOperation, type PreparedResponse, withFreshId } from './prepared-responses.js';
import { parseJsonBody, readBody } from './read-body.js';
import type { RequestLogEntry } from './request-log.js';
import type { RouteMatch } from './router.js';

/** Everything the request handler needs, built once at start-up. */
export interface MockRuntime {
  policy: RateLimitPolicy;
  classify(target: RequestTarget): ScopeVerdict;
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

async function serveOperation(
  rt: MockRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  target: RequestTarget,
  key: string,
  rl: string[],
): Promise<number> {
  const match = rt.route(method, target.path);
  if (match.kind === 'none') return write(res, method, errors.notFound(method, target.rawPath), rl);
  if (match.kind === 'method') return write(res, method, errors.methodNotAllowed(method, target.rawPath), rl.concat('allow', match.allow.join(', ')));
  const op = match.value;
  if (op.secured && rt.authenticate(req.headers) === undefined) return write(res, method, op.byStatus.get(401) ?? errors.unauthorized(), rl);
  const idempotencyKey = method === 'POST' && op.headerParams.includes('idempotency-key') ? req.headers['idempotency-key'] : undefined;
  const needsBody = WITH_BODY.has(method) && (rt.validate !== undefined || typeof idempotencyKey === 'string');
  let body: Buffer = Buffer.alloc(0);
  if (needsBody) {
    const read = await readBody(req);
    if (read === 'aborted') return 0;
    if (read === 'too-large') return write(res, method, errors.payloadTooLarge(), rl.concat('connection', 'close'));
    body = read;
  } else req.resume();
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

/**
 * Handles one request: control API, exemption, budget, scripted faults, routing, auth, validation,
 * idempotency, then the pre-rendered example. The limiter runs before auth (ReconLayer: unauthenticated
 * floods are limited too), and a rejected request reads no body and consumes no idempotency key.
 */
export async function handleRequest(rt: MockRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const startMs = rt.log ? performance.now() : 0;
  const method = req.method ?? 'GET';
  const target = parseRequestTarget(req.url ?? '/');
  let key = '-';
  let remaining = '-';
  let status: number;
  const control = rt.control;
  if (control && (target.path === CONTROL_PREFIX || target.path.startsWith(`${CONTROL_PREFIX}/`))) {
    if (!controlAllowed(req, control.token)) {
      status = write(
        res,
        method,
        errors.errorResponse(403, 'Forbidden', 'The control API answers loopback callers, or callers with the right x-ratelimit-control-token'),
        NONE,
      );
    } else {
      const read = await readBody(req, 65_536);
      const parsed = typeof read === 'string' ? { ok: false as const, reason: read } : parseJsonBody(read);
      const input = parsed.ok && parsed.value && typeof parsed.value === 'object' ? (parsed.value as Record<string, unknown>) : {};
      if (!parsed.ok) status = write(res, method, errors.errorResponse(400, 'Bad Request', `Control body is not JSON: ${parsed.reason}`), NONE);
      else {
        await handleControl(control, method, target.path, input, res);
        status = res.statusCode;
      }
    }
  } else {
    const verdict = rt.classify(target);
    const fault = control ? rt.faults.take(method, target.path) : undefined;
    let rl = NONE;
    if (verdict === 'limited') {
      key = rt.resolveKey(req.headers, req.socket.remoteAddress);
      if (fault?.kind === 'status-429') {
        const peeked = await rt.limiter.peek(key);
        const forced = { ...peeked, allowed: false, retryAfterMs: peeked.resetMs || rt.policy.windowMs, resetMs: peeked.resetMs || rt.policy.windowMs };
        const headers = rateLimitHeaders(rt.policy.headers, forced);
        status = write(res, method, rejection(rt, forced, headers), NONE);
        remaining = '0';
        rt.log?.({ method, path: target.rawPath, key, remaining, status, ms: performance.now() - startMs });
        req.resume();
        return;
      }
      const decision = await rt.limiter.consume(key);
      rl = rateLimitHeaders(rt.policy.headers, decision);
      remaining = String(decision.allowed ? decision.remaining : 0);
      if (!decision.allowed) {
        req.resume();
        status = write(res, method, rejection(rt, decision, rl), NONE);
        rt.log?.({ method, path: target.rawPath, key, remaining, status, ms: performance.now() - startMs });
        return;
      }
    }
    if (fault?.kind === 'latency') await sleep(fault.latencyMs);
    if (fault?.kind === 'status-500') {
      req.resume();
      status = write(res, method, errors.injectedServerError(), rl);
    } else if (fault?.kind === 'status-429') {
      req.resume();
      status = write(
        res,
        method,
        rejection(rt, { allowed: false, limit: rt.policy.limit, remaining: 0, resetMs: rt.policy.windowMs, retryAfterMs: rt.policy.windowMs }, NONE),
        NONE,
      );
    } else status = await serveOperation(rt, req, res, method, target, key, rl);
  }
  rt.log?.({ method, path: target.rawPath, key, remaining, status, ms: performance.now() - startMs });
}
