import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendPipelined, serializeRequest } from './pipelined-connection.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('sendPipelined', () => {
  it('answers requests written at once in order, content-length and chunked bodies alike, with targets sent verbatim', async () => {
    let n = 0;
    server = createServer((req, res) => {
      n += 1;
      if (n % 2 === 0) {
        res.setHeader('x-n', String(n));
        res.write(`chunked ${req.url}`);
        res.end();
      } else res.writeHead(200, { 'content-type': 'text/plain', 'x-n': String(n) }).end(`plain ${req.url}`);
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server?.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const paths = ['/a', '/./b', '/c%2Fd', '//e'];
    const responses = await sendPipelined(
      socket,
      paths.map((path) => serializeRequest({ method: 'GET', path, headers: { 'x-test': '1' } }, `127.0.0.1:${port}`, path)),
    );
    socket.destroy();
    expect(responses.map((r) => [r.status, r.headers['x-n'], r.text])).toEqual([
      [200, '1', 'plain /a'],
      [200, '2', 'chunked /./b'],
      [200, '3', 'plain /c%2Fd'],
      [200, '4', 'chunked //e'],
    ]);
  });
});
