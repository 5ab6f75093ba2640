import type { Duplex } from 'node:stream';

/** The status node's parser errors get: 408 for a timeout, 431 for oversized headers, else 400. */
function statusOf(error: NodeJS.ErrnoException): string {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return '408 Request Timeout';
  if (error.code === 'HPE_HEADER_OVERFLOW') return '431 Request Header Fields Too Large';
  return '400 Bad Request';
}

/**
 * The server's `clientError` handler: a request node could not parse, or that timed out (headers or
 * request timeout), is answered once and its socket destroyed, as node's default handler does. Ending it
 * without destroying kept the descriptor open until the client closed its side (150 clients that never
 * close held 150 descriptors). Only a connection that has had nothing written yet is answered, so no
 * stray bytes follow a response that said `connection: close` ("Data after Connection: close").
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const untouched = (socket as { bytesWritten?: number }).bytesWritten === 0;
  if (socket.writable && !socket.writableEnded && untouched) {
    socket.end(`HTTP/1.1 ${statusOf(error)}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  }
  // libuv writes a small response at once (node's default handler also writes, then destroys).
  socket.destroy();
}
