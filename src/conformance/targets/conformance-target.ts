import type { ProbeRequest, ProbeResponse } from '../conformance-check.js';

/** Where the suite sends its requests: a base URL, or an in-process app or server. */
export interface ConformanceTarget {
  /** Named in reports, e.g. `http://127.0.0.1:3001` or `in-process app`. */
  readonly description: string;
  /**
   * True when the server is reached over IPv4 loopback, so that source addresses 127.0.0.x can act as
   * distinct client IPs.
   */
  readonly loopback: boolean;
  /** Sends one request; rejects only when the server cannot be reached or does not answer. */
  send(request: ProbeRequest): Promise<ProbeResponse>;
  /** Frees sockets (and a server the target started). */
  close(): Promise<void>;
}

/** Flattens node's header object: lower-case names, arrays joined with ", ". */
export function flattenHeaders(headers: Record<string, string | string[] | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}
