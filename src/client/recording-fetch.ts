import { createHash } from 'node:crypto';
import { summariseReading } from '../core/headers/summary.js';
import type { RecordedAttempt } from './attempt.js';
import { requestParts } from './request-parts.js';
import { type ClientPolicy, readResponseBudget } from './response-budget.js';

/** The fetch signature the wrappers take and return. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of `createRecordingFetch`. */
export interface RecordingFetchOptions {
  /**
   * The fetch to record. Default: `globalThis.fetch`, read at call time (so nock, msw or a stub installed
   * later is used), except when the global is this recording fetch itself: then the fetch that was global
   * when the recorder was created is used, so `globalThis.fetch = recording.fetch` does not recurse.
   */
  fetch?: FetchLike;
  /** Time source; `Date.now` by default, so fake timers move it. */
  now?: () => number;
  /** The spec's policy: `remaining` and `retryAfterSeconds` are read from the headers it declares (default: the common families). */
  policy?: ClientPolicy;
}

function bodySha256(body: RequestInit['body'] | undefined): string | undefined {
  if (typeof body === 'string') return body === '' ? undefined : createHash('sha256').update(body).digest('hex');
  if (body instanceof Uint8Array) return body.length === 0 ? undefined : createHash('sha256').update(body).digest('hex');
  return undefined;
}

/**
 * Wraps a fetch so that every call lands in an attempt log, for `assertRetryLog` against any server
 * (the live mock, a staging API). It sees what the client sees: no budget key, so all attempts share one.
 * @example const { fetch, attempts } = createRecordingFetch(); await createRetryAfterFetch({ fetch })(url);
 */
export function createRecordingFetch(options: RecordingFetchOptions = {}): { fetch: FetchLike; attempts: RecordedAttempt[] } {
  const now = options.now ?? (() => Date.now());
  const attempts: RecordedAttempt[] = [];
  const globalAtCreation = globalThis.fetch;
  // One counter for arrivals and answers: the causal order the checks use to tell parallel from sequential.
  let order = 0;
  let sent = 0;
  const target = (): FetchLike => {
    if (options.fetch) return options.fetch;
    const current = globalThis.fetch;
    if (current !== fetch) return current;
    if (globalAtCreation === fetch || typeof globalAtCreation !== 'function') {
      throw new TypeError(
        'Failed to record the request: globalThis.fetch is this recording fetch and there is no other fetch to call. Pass the real one: createRecordingFetch({ fetch: originalFetch }).',
      );
    }
    return globalAtCreation;
  };
  const fetch: FetchLike = async (input, init) => {
    const parts = requestParts(input, init);
    const url = new URL(parts.url);
    const headers: Record<string, string> = {};
    parts.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const atMs = now();
    const seq = ++sent;
    const sentOrder = ++order;
    const response = await target()(input, init);
    const respondedAtMs = now();
    const answeredOrder = ++order;
    const { remaining, retryAfterMs } = summariseReading(readResponseBudget(response.headers, options.policy, respondedAtMs));
    const attempt: RecordedAttempt = {
      seq,
      atMs,
      respondedAtMs,
      method: parts.method,
      url: parts.url,
      path: url.pathname + url.search,
      headers,
      idempotencyKey: headers['idempotency-key'],
      bodySha256: bodySha256(init?.body),
      status: response.status,
      remaining,
      retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
      sentOrder,
      answeredOrder,
    };
    // In arrival order, as the nock helper keeps its log: a slow answer keeps its place.
    let at = attempts.length;
    while (at > 0 && (attempts[at - 1] as RecordedAttempt).seq > seq) at -= 1;
    attempts.splice(at, 0, attempt);
    return response;
  };
  return { fetch, attempts };
}
