/** The parts of a fetch call that retry decisions read, taken without consuming a Request's body. */
export interface RequestParts {
  method: string;
  url: string;
  headers: Headers;
}

/** Reads method, URL and merged headers (init wins) of a fetch call. */
export function requestParts(input: string | URL | Request, init?: RequestInit): RequestParts {
  const isRequest = typeof Request !== 'undefined' && input instanceof Request;
  const headers = new Headers(isRequest ? input.headers : undefined);
  new Headers(init?.headers).forEach((value, name) => {
    headers.set(name, value);
  });
  const method = (init?.method ?? (isRequest ? input.method : 'GET')).toUpperCase();
  const url = isRequest ? input.url : String(input);
  return { method, url, headers };
}

/** Methods that RFC 9110 §9.2.2 calls idempotent: repeating them has the effect of sending them once. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * The arguments for one attempt: a Request input is cloned so the next attempt can read its body again,
 * and `headers` (when given) replace the call's headers.
 */
export function attemptArgs(
  input: string | URL | Request,
  init: RequestInit | undefined,
  headers?: Headers,
): [string | URL | Request, RequestInit | undefined] {
  const isRequest = typeof Request !== 'undefined' && input instanceof Request;
  const nextInput = isRequest ? input.clone() : input;
  return [nextInput, headers ? { ...init, headers } : init];
}

/**
 * Frees a response that will not be returned, so its connection can be reused: reads its body (up to
 * `maxBytes`, then lets the rest go). It reads rather than `body.cancel()`s: behind msw 2 a cancel on a
 * mocked body never settles (mswjs/interceptors#799), while reading works on msw 2 and 3, nock, and sockets.
 */
export async function discard(response: Response, maxBytes = 65_536): Promise<void> {
  if (response.bodyUsed || response.body === null) return;
  try {
    const reader = response.body.getReader();
    for (let read = 0; read <= maxBytes; ) {
      const chunk = await reader.read();
      if (chunk.done) return;
      read += chunk.value.byteLength;
    }
    // A long body (a 429 rarely has one): stop reading without waiting on a cancel that may never settle.
    reader.cancel().catch(() => undefined);
  } catch {
    // Already consumed or errored: nothing to free.
  }
}
