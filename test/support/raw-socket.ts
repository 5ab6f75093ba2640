import { connect } from 'node:net';

/** What came back on a raw socket: every byte, the first response parsed, and whether the server closed. */
export interface RawExchange {
  /** Everything the server sent, as latin1 text. */
  raw: string;
  /** Status of the first response; 0 when none arrived. */
  status: number;
  /** Headers of the first response, lower-case names. */
  headers: Record<string, string>;
  /** Body of the first response (by content-length), as latin1 text. */
  body: string;
  /** The server ended or reset the connection. */
  closed: boolean;
}

function parseFirst(raw: string): Pick<RawExchange, 'status' | 'headers' | 'body'> {
  const end = raw.indexOf('\r\n\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
  if (end === -1 || !statusLine) return { status: 0, headers: {}, body: '' };
  const headers: Record<string, string> = {};
  for (const line of raw.slice(0, end).split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  return { status: Number(statusLine[1]), headers, body: raw.slice(end + 4, end + 4 + length) };
}

/**
 * Writes bytes to the server exactly as given (request lines and headers no client library would send)
 * and collects what comes back until the server closes, `settleMs` pass without data after a complete
 * response, or `timeoutMs` pass. `endAfterWrite` half-closes after writing, as a client that gives up.
 * Loopback only.
 */
export function sendRaw(
  baseUrl: string,
  bytes: string | Buffer | Array<string | Buffer>,
  options: { timeoutMs?: number; settleMs?: number; encoding?: BufferEncoding; endAfterWrite?: boolean } = {},
): Promise<RawExchange> {
  const { hostname, port } = new URL(baseUrl);
  const timeoutMs = options.timeoutMs ?? 3_000;
  const settleMs = options.settleMs ?? 50;
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let closed = false;
    let settled = false;
    let settleTimer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(overall);
      clearTimeout(settleTimer);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      resolve({ raw, ...parseFirst(raw), closed });
    };
    const overall = setTimeout(finish, timeoutMs);
    socket.on('connect', () => {
      for (const part of Array.isArray(bytes) ? bytes : [bytes])
        socket.write(typeof part === 'string' ? Buffer.from(part, options.encoding ?? 'latin1') : part);
      // A client that gives up half-way: send FIN, keep reading.
      if (options.endAfterWrite) socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const raw = Buffer.concat(chunks).toString('latin1');
      const first = parseFirst(raw);
      if (first.status !== 0) {
        clearTimeout(settleTimer);
        settleTimer = setTimeout(finish, settleMs);
      }
    });
    socket.on('error', () => {
      closed = true;
      finish();
    });
    socket.on('end', () => {
      closed = true;
      finish();
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
  });
}

/** A complete HTTP/1.1 request as text: request line, host, headers, then the body. */
export function httpText(method: string, target: string, headers: Record<string, string> = {}, body = ''): string {
  const lines = [`${method} ${target} HTTP/1.1`, 'host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (body !== '' && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-length' || k.toLowerCase() === 'transfer-encoding')) {
    lines.push(`content-length: ${Buffer.byteLength(body, 'latin1')}`);
  }
  lines.push('connection: close');
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
