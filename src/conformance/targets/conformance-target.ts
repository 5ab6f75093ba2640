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
  /**
   * Opens one connection per request (all of them first), and resolves to a function that then writes
   * every request at once: a concurrent burst whose requests reach the server together. Optional: without
   * it, a burst is the requests sent side by side.
   */
  prepareBurst?(requests: ProbeRequest[], options?: { pipelined?: boolean }): Promise<() => Promise<Array<PromiseSettledResult<ProbeResponse>>>>;
  /**
   * Sends requests one after another and resolves to their responses in order, pipelined on one
   * connection (no round trip each). Optional; the suite uses it only against the mock's virtual clock.
   */
  sendSequence?(requests: ProbeRequest[]): Promise<ProbeResponse[]>;
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
