import type { Socket } from 'node:net';
import type { ProbeRequest, ProbeResponse } from '../conformance-check.js';

/** The request bytes, exactly as the probe writes its target (no normalization). */
export function serializeRequest(probe: ProbeRequest, host: string, path: string): string {
  const headers: Record<string, string> = { host, ...probe.headers };
  if (probe.body !== undefined) headers['content-length'] = String(Buffer.byteLength(probe.body));
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `${probe.method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${probe.body ?? ''}`;
}

/** Parses as many whole responses as `buffer` holds; returns them and what is left over. */
function parseResponses(buffer: Buffer, out: ProbeResponse[]): Buffer {
  for (;;) {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return buffer;
    const head = buffer.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1]);
    if (!Number.isInteger(status)) throw new Error(`not an HTTP/1.1 response: ${JSON.stringify(head[0])}`);
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    let rest = buffer.subarray(end + 4);
    let body: Buffer;
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const chunks: Buffer[] = [];
      for (;;) {
        const lineEnd = rest.indexOf('\r\n');
        if (lineEnd < 0) return buffer;
        const size = Number.parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
        if (rest.length < lineEnd + 2 + size + 2) return buffer;
        if (size === 0) {
          rest = rest.subarray(lineEnd + 4);
          break;
        }
        chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
        rest = rest.subarray(lineEnd + 2 + size + 2);
      }
      body = Buffer.concat(chunks);
    } else {
      const length = Number(headers['content-length'] ?? 0);
      if (rest.length < length) return buffer;
      body = rest.subarray(0, length);
      rest = rest.subarray(length);
    }
    out.push({ status, headers, text: body.toString('utf8') });
    buffer = rest;
  }
}

/**
 * Writes every request at once on one open connection (HTTP/1.1 pipelining) and resolves to the responses
 * received, in order; a server answers pipelined requests one after another, in order, so this is a
 * sequence of requests without a round trip each. Fewer responses than requests means the server closed
 * the connection early; the caller sends the rest on their own.
 */
export function sendPipelined(socket: Socket, requests: string[]): Promise<ProbeResponse[]> {
  return new Promise((resolve, reject) => {
    const responses: ProbeResponse[] = [];
    let buffer: Buffer = Buffer.alloc(0);
    const finish = () => {
      socket.off('data', onData);
      socket.off('close', finish);
      socket.off('error', finish);
      resolve(responses);
    };
    const onData = (chunk: Buffer) => {
      try {
        buffer = parseResponses(Buffer.concat([buffer, chunk]), responses);
      } catch (error) {
        socket.destroy();
        reject(error);
        return;
      }
      if (responses.length >= requests.length) finish();
    };
    socket.on('data', onData);
    socket.once('close', finish);
    socket.once('error', finish);
    socket.write(requests.join(''));
  });
}
