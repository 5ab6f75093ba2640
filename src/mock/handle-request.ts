import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { MaybePromise } from '../core/budget-store.js';
import type { Engine } from '../engine/create-engine.js';
import { errorResponse } from '../engine/error-responses.js';
import { type PreparedResponse, textResponse } from '../engine/prepared-responses.js';
import type { EngineCall, Reply } from '../engine/reply.js';
import { checkControlAccess } from './control-access.js';
import { CONTROL_PREFIX, type ControlContext, handleControl } from './control-api.js';
import { parseJsonBody, readBody } from './read-body.js';
import { handleRecordedRequest } from './record-attempt.js';
import type { RequestLogEntry } from './request-log.js';
import type { RequestObservers } from './request-observers.js';

/** What the node:http adapter holds, built once at start-up: the engine, the control API and the log. */
export interface MockRuntime {
  engine: Engine;
  control: ControlContext | undefined;
  log: ((entry: RequestLogEntry) => void) | undefined;
  /** Watchers of answered requests (the dashboard's live stream, while one is open). */
  observers: RequestObservers;
}

/** A node request as an engine call; the body is read, through `body()`, only if the engine asks for it. */
class NodeCall implements EngineCall {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly clientAddress: string | undefined;
  constructor(private readonly req: IncomingMessage) {
    this.method = req.method ?? 'GET';
    this.url = req.url ?? '/';
    this.headers = req.headers;
    this.clientAddress = req.socket.remoteAddress;
  }
  body(maxBytes: number) {
    return readBody(this.req, maxBytes);
  }
}

/** A scripted delay; unref'd, so that a delay still pending when a drain's deadline closes its connection does not keep the process alive. */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Writes a response; node sends a string body together with the head, in one write. Returns the status. */
function write(res: ServerResponse, method: string, response: PreparedResponse, before: string[]): number {
  res.writeHead(response.status, before.length === 0 ? response.headers : before.concat(response.headers));
  if (method === 'HEAD') res.end();
  else res.end(response.body);
  return response.status;
}

export function send(res: ServerResponse, method: string, reply: Reply): MaybePromise<number> {
  if (reply.aborted) return 0;
  if (reply.latencyMs > 0) return sleep(reply.latencyMs).then(() => write(res, method, reply.response, reply.headers));
  return write(res, method, reply.response, reply.headers);
}

/** Logs an answered request, and hands it to the observers that watched it arrive (receivedAtMs set). */
export function logLine(rt: MockRuntime, call: EngineCall, startMs: number, receivedAtMs: number | undefined, reply: Reply | undefined, status: number): void {
  rt.log?.({
    method: call.method,
    path: rt.engine.classifyUrl(call.url).target.rawPath,
    key: reply?.key ?? '-',
    remaining: reply?.remaining === undefined ? '-' : String(reply.remaining),
    status,
    ms: performance.now() - startMs,
  });
  if (receivedAtMs !== undefined) rt.observers.notify({ call, reply, status, receivedAtMs, answeredAtMs: rt.engine.clock.now() });
}

/**
 * The node:http adapter: turns a request into an engine call (the body is read only if the engine asks)
 * and the reply into a response, after a scripted delay if any. The control API at /__ratelimit (when on)
 * is this adapter's own. Returns a promise only when the request needs one (an async store, a body to
 * read, a delay), so that the common request costs none.
 */
export function handleRequest(rt: MockRuntime, req: IncomingMessage, res: ServerResponse): MaybePromise<void> {
  const call = new NodeCall(req);
  const startMs = rt.log ? performance.now() : 0;
  // Nobody watching costs this one comparison; observers see the requests that arrive while they watch.
  const receivedAtMs = rt.observers.size === 0 ? undefined : rt.engine.clock.now();
  const control = rt.control;
  if (control) {
    const { path } = rt.engine.classifyUrl(call.url).target;
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
      return serveControl(control, req, res, call.method, path).then((status) => logLine(rt, call, startMs, receivedAtMs, undefined, status));
    }
    if (control.attempts) return handleRecordedRequest(rt, control.attempts, req, res, receivedAtMs);
  }
  const reply = rt.engine.respond(call);
  if (reply instanceof Promise) {
    return reply.then(async (r) => {
      const status = await send(res, call.method, r);
      if (rt.log || receivedAtMs !== undefined) logLine(rt, call, startMs, receivedAtMs, r, status);
    });
  }
  const status = send(res, call.method, reply);
  if (status instanceof Promise)
    return status.then((code) => (rt.log || receivedAtMs !== undefined ? logLine(rt, call, startMs, receivedAtMs, reply, code) : undefined));
  if (rt.log || receivedAtMs !== undefined) logLine(rt, call, startMs, receivedAtMs, reply, status);
  return undefined;
}

async function serveControl(control: ControlContext, req: IncomingMessage, res: ServerResponse, method: string, path: string): Promise<number> {
  // The one access check: every control route, present and future, runs only after it.
  const verdict = checkControlAccess(req, method, control.guard);
  if (!verdict.allowed) {
    const body = JSON.stringify({ statusCode: verdict.status, error: STATUS_CODES[verdict.status], message: verdict.message });
    return write(res, method, textResponse(verdict.status, body, 'application/json; charset=utf-8', ['cache-control', 'no-store']), []);
  }
  const read = await readBody(req, 65_536);
  const parsed = typeof read === 'string' ? { ok: false as const, reason: read } : parseJsonBody(read);
  if (!parsed.ok) return write(res, method, errorResponse(400, `Control body is not JSON: ${parsed.reason}`), []);
  const input = parsed.value && typeof parsed.value === 'object' ? (parsed.value as Record<string, unknown>) : {};
  await handleControl(control, method, path, input, res);
  return res.statusCode;
}
