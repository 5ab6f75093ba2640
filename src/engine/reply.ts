import type { RequestHeaders } from '../core/key-resolver.js';
import type { ScopeVerdict } from '../core/scope.js';
import type { PreparedResponse } from './prepared-responses.js';
import { type ScriptStep, scriptLabel } from './scripted-steps.js';

/** Reads a request body of at most `maxBytes`: 'too-large' past it, 'aborted' when the client went away. */
export type BodyReader = (maxBytes: number) => Promise<Uint8Array | 'too-large' | 'aborted'>;

const UNSET: PreparedResponse = { status: 0, headers: [], body: '', json: undefined };

/** A request, as any transport hands it over. */
export interface EngineCall {
  /** Upper case. */
  method: string;
  /** The request target: path and query as sent (origin-form), or absolute-form. */
  url: string;
  /** Lower-case names. */
  headers: RequestHeaders;
  /** The socket's address; unresolved credentials are keyed by it. */
  clientAddress: string | undefined;
  /**
   * The body: its bytes when the transport has them (nock, MSW), or a reader the engine calls, as a method
   * of the call, only when it needs the body (node:http).
   */
  body: Uint8Array | BodyReader;
}

/** The answer to a call, with what the request log and the attempt log keep about it. */
export interface Reply {
  /** Status, the response's own headers (content type and length) and body. */
  response: PreparedResponse;
  /** Headers sent before the response's own: rate-limit headers, `allow`, `idempotent-replayed`. Flat [name, value, …]. */
  headers: string[];
  scope: ScopeVerdict;
  /** The budget the request was charged to; undefined off the limited scope. */
  key: string | undefined;
  /** Budget left after this request; undefined off the limited scope. */
  remaining: number | undefined;
  /** The retry-after the reply carries, in seconds; undefined when it carries none. */
  retryAfterSeconds: number | undefined;
  /** Send the reply this much later (a scripted delay); the transport waits, on whatever timers it uses. */
  latencyMs: number;
  /** The scripted step that answered, as the attempt log labels it: `429`, `500`, `+2000ms`. */
  scripted: string | undefined;
  /** The client went away before its body could be read: send nothing. */
  aborted: boolean;
}

/**
 * Starts the reply to one request: one object per request, filled in as the decision is made (scope, then
 * key and budget, then the response), of one shape for every outcome so that the transports' reads stay
 * monomorphic.
 */
export function startReply(scope: ScopeVerdict, step: ScriptStep | undefined): Reply {
  return {
    response: UNSET,
    headers: UNSET.headers,
    scope,
    key: undefined,
    remaining: undefined,
    retryAfterSeconds: undefined,
    latencyMs: step?.kind === 'pass' ? step.latencyMs : 0,
    scripted: step === undefined ? undefined : scriptLabel(step),
    aborted: false,
  };
}

/** Completes a reply with its response and the headers sent before the response's own. */
export function finish(r: Reply, response: PreparedResponse, headers: string[], retryAfterSeconds?: number): Reply {
  r.response = response;
  r.headers = headers;
  r.retryAfterSeconds = retryAfterSeconds;
  return r;
}
