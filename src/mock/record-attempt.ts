import type { IncomingMessage, ServerResponse } from 'node:http';
import { attemptRecord } from '../engine/attempt-record.js';
import type { EngineCall } from '../engine/reply.js';
import { MAX_BODY_BYTES } from '../engine/serve-operation.js';
import { type AttemptRecorder, maskSecretHeaders } from './attempt-recorder.js';
import { logLine, type MockRuntime, send } from './handle-request.js';
import { readBody } from './read-body.js';

const EMPTY = new Uint8Array(0);

function flatHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

/**
 * The node:http adapter's path while the control API is on: `handleRequest`'s, and the attempt goes into the
 * attempt log (`GET /__ratelimit/attempts`), with the fields of the nock helper's log. The body is read
 * before the engine decides, since its digest is wanted even when a 429 leaves it unread; the engine gets
 * the bytes, so nothing is read twice. With the control API off none of this runs.
 */
export async function handleRecordedRequest(
  rt: MockRuntime,
  recorder: AttemptRecorder,
  req: IncomingMessage,
  res: ServerResponse,
  receivedAtMs: number | undefined,
): Promise<void> {
  const startMs = performance.now();
  const seq = recorder.reserve();
  const atMs = rt.engine.clock.now();
  const method = req.method ?? 'GET';
  const target = req.url ?? '/';
  // A request without content-length or transfer-encoding has no body (RFC 9112 §6.3): no need to wait for its end.
  const { 'content-length': length, 'transfer-encoding': encoding } = req.headers;
  const read = encoding === undefined && (length === undefined || length === '0') ? EMPTY : await readBody(req, MAX_BODY_BYTES);
  const call: EngineCall = {
    method,
    url: target,
    headers: req.headers,
    clientAddress: req.socket.remoteAddress,
    body: typeof read === 'string' ? async () => read : read,
  };
  const reply = await rt.engine.respond(call);
  const status = await send(res, method, reply);
  if (rt.log || receivedAtMs !== undefined) logLine(rt, call, startMs, receivedAtMs, reply, status);
  if (reply.aborted || read === 'aborted') return;
  // Origin-form (`/v1/x?y=1`, what clients send) is the path as sent; absolute-form is parsed.
  const origin = `http://${req.headers.host ?? 'localhost'}`;
  const url = target.startsWith('/') ? undefined : new URL(target, origin);
  const path = url ? url.pathname + url.search : target;
  const body = typeof read === 'string' ? EMPTY : read;
  const headers = maskSecretHeaders(flatHeaders(req.headers));
  recorder.record(seq, attemptRecord({ method, url: url?.href ?? origin + target, path, headers, body }, reply, atMs, rt.engine.clock.now()));
}
