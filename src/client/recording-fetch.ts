import { createHash } from 'node:crypto';
import { parseRetryAfterMs, type RecordedAttempt } from './attempt.js';
import { requestParts } from './request-parts.js';

/** The fetch signature the wrappers take and return. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of `createRecordingFetch`. */
export interface RecordingFetchOptions {
  /** The fetch to record; `globalThis.fetch` by default (read at call time). */
  fetch?: FetchLike;
  /** Time source; `Date.now` by default, so fake timers move it. */
  now?: () => number;
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
  const fetch: FetchLike = async (input, init) => {
    const parts = requestParts(input, init);
    const url = new URL(parts.url);
    const headers: Record<string, string> = {};
    parts.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const atMs = now();
    const response = await (options.fetch ?? globalThis.fetch)(input, init);
    const respondedAtMs = now();
    const remaining = response.headers.get('x-ratelimit-remaining');
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), respondedAtMs);
    attempts.push({
      seq: attempts.length + 1,
      atMs,
      respondedAtMs,
      method: parts.method,
      url: parts.url,
      path: url.pathname + url.search,
      headers,
      idempotencyKey: headers['idempotency-key'],
      bodySha256: bodySha256(init?.body),
      status: response.status,
      remaining: remaining === null || remaining === '' ? undefined : Number(remaining),
      retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
    });
    return response;
  };
  return { fetch, attempts };
}
