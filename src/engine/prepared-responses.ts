import type { RenderedOperation, RenderedResponse } from '../render/response-catalog.js';

/**
 * A response ready to send: flat headers (with its content-length) and the body as text, built once at
 * start-up. Text, not bytes, so that every transport sends it as it is: node writes a string body together
 * with the head in one write (a Buffer costs a second one: 0.28× → 0.69× bare node:http in `npm run bench`),
 * and fetch's Response takes it too.
 */
export interface PreparedResponse {
  status: number;
  headers: string[];
  body: string;
  /** The parsed JSON body, when there is one (for responses that get a fresh id). */
  json: unknown;
}

/** An operation with its responses ready to send, and the success status it answers with. */
export interface PreparedOperation extends RenderedOperation {
  success: PreparedResponse | undefined;
  /** Responses declared for one status (`404`). */
  byStatus: Map<number, PreparedResponse>;
  /** Responses declared for a range (`4XX`), by its first digit. */
  byRange: Map<number, PreparedResponse>;
  /** The `default` response, if declared. */
  byDefault: PreparedResponse | undefined;
}

/** The UTF-8 length of a string, as content-length counts it (no Buffer: this also runs in a browser). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 4 bytes for 2 UTF-16 units
      i++;
    } else bytes += 2; // the rest of the BMP, and a lone surrogate (sent as U+FFFD): 3 bytes
  }
  return bytes;
}

function prepare(response: RenderedResponse, stripHeaders: ReadonlySet<string>): PreparedResponse {
  const headers: string[] = [];
  for (const [name, value] of Object.entries(response.headers)) if (!stripHeaders.has(name)) headers.push(name, value);
  const body = response.body ?? '';
  if (response.body !== null) headers.push('content-type', response.contentType ?? 'application/json', 'content-length', String(utf8Length(body)));
  else headers.push('content-length', '0');
  let json: unknown;
  try {
    json = response.body === null ? undefined : JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers, body, json };
}

/**
 * Turns the catalog into ready-to-send responses. Rendered example values of the policy's headers are
 * dropped: live values replace them on limited routes, and exempt routes must carry none.
 */
export function prepareOperations(operations: readonly RenderedOperation[], stripHeaders: ReadonlySet<string>): PreparedOperation[] {
  return operations.map((op) => {
    const byStatus = new Map<number, PreparedResponse>();
    const byRange = new Map<number, PreparedResponse>();
    let byDefault: PreparedResponse | undefined;
    for (const [code, response] of Object.entries(op.responses)) {
      const range = /^([1-5])XX$/.exec(code)?.[1];
      if (range !== undefined) byRange.set(Number(range), prepare(response, stripHeaders));
      else if (code === 'default') byDefault = prepare(response, stripHeaders);
      else byStatus.set(Number(code), prepare(response, stripHeaders));
    }
    const successCode = [...byStatus.keys()].filter((code) => code >= 200 && code < 300).sort((a, b) => a - b)[0];
    return { ...op, byStatus, byRange, byDefault, success: successCode === undefined ? undefined : byStatus.get(successCode) };
  });
}

/** A response built now (errors, rejections, scripted replies): the body's content type and length added. */
export function textResponse(status: number, body: string, contentType: string | undefined, headers: string[] = []): PreparedResponse {
  const out = contentType === undefined ? headers.slice() : headers.concat('content-type', contentType);
  out.push('content-length', String(utf8Length(body)));
  return { status, headers: out, body, json: undefined };
}

/** Rewrites a prepared JSON body with a fresh `id` (a POST that creates), keeping the example's prefix. */
export function withFreshId(response: PreparedResponse, sequence: number): PreparedResponse {
  const json = response.json;
  if (!json || typeof json !== 'object' || Array.isArray(json) || typeof (json as { id?: unknown }).id !== 'string') return response;
  const example = (json as { id: string }).id;
  const prefix = example.includes('_') ? example.slice(0, example.indexOf('_') + 1) : '';
  const body = JSON.stringify({ ...json, id: `${prefix}mock${String(sequence).padStart(6, '0')}` });
  const headers = [...response.headers];
  const at = headers.indexOf('content-length');
  if (at !== -1) headers[at + 1] = String(utf8Length(body));
  return { ...response, headers, body, json: undefined };
}
