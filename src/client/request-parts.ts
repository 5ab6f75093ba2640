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

/** Frees a response that will not be returned, so its connection can be reused. */
export async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Already consumed or errored: nothing to free.
  }
}
