import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from './support/raw-request.js';
import { startCliMock } from './support/run-cli.js';

// Round two (issue 10): chunked-body amplification. 1,000,000 one-byte chunks are 6 MB on the wire and a
// 1,000,000-byte body, under the 1 MiB cap; the mock kept each chunk as its own Buffer (about 400 MB), so
// one such body crashed a mock started with --max-old-space-size=128 (two at once, the case, too).
// Now chunks are copied into one growing buffer. A spawned mock with a 128 MB heap takes two at once and
// its peak RSS (VmHWM) stays near its baseline.
const CHUNKS = 1_000_000;
const CHUNKS_PER_WRITE = 10_000;
const ACME = 'Bearer rl_test_acme_primary';

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/**
 * Sends one POST whose body is `chunks` one-byte chunks, on a raw socket to 127.0.0.1, honouring
 * backpressure (bounded: 6 bytes per chunk, then the terminator); resolves with the status line.
 */
function sendOneByteChunks(url: string, chunks: number, idempotencyKey: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const block = Buffer.from('1\r\nx\r\n'.repeat(CHUNKS_PER_WRITE));
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
    socket.on('close', () => resolve(received.split('\r\n')[0] || 'closed without an answer'));
    socket.on('connect', async () => {
      socket.write(
        `POST /v1/payment-intents HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: ${ACME}\r\nidempotency-key: ${idempotencyKey}\r\n` +
          'content-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n',
      );
      for (let sent = 0; sent < chunks && !socket.destroyed; sent += CHUNKS_PER_WRITE) {
        if (!socket.write(block)) await new Promise((drained) => socket.once('drain', drained));
      }
      socket.write('0\r\n\r\n');
    });
  });
}

describe.skipIf(process.platform !== 'linux')('chunked bodies: memory stays near the 1 MiB cap (--max-old-space-size=128)', () => {
  it('two bodies of 1,000,000 one-byte chunks at once: both served, the mock alive, its peak RSS within 64 MB of its baseline', {
    timeout: 240_000,
  }, async () => {
    // Parsing 2,000,000 chunks took over the 30 s request timeout in a full parallel run (the mock then
    // answers 408 and resets): --headers-timeout 2m raises the request timeout with it (server-timeouts.ts).
    const mock = await startCliMock(['--port', '0', '--limit', '1000', '--headers-timeout', '2m'], { NODE_OPTIONS: '--max-old-space-size=128' });
    child = mock.child;
    const pid = mock.child.pid as number;
    // Warm the body path once, so that the baseline includes what any first request loads.
    expect(
      (
        await rawRequest(mock.url, {
          method: 'POST',
          path: '/v1/payment-intents',
          headers: { authorization: ACME, 'idempotency-key': 'warm', 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(201);
    const baseline = memoryOf(pid);
    const statuses = await Promise.all([sendOneByteChunks(mock.url, CHUNKS, 'chunks-1'), sendOneByteChunks(mock.url, CHUNKS, 'chunks-2')]);
    expect(statuses).toEqual(['HTTP/1.1 201 Created', 'HTTP/1.1 201 Created']);
    expect(mock.child.exitCode).toBe(null);
    expect((await rawRequest(mock.url, { path: '/health' })).status).toBe(200);
    const after = memoryOf(pid);
    // Before: the mock died of heap exhaustion (SIGABRT) on the first body; with one Buffer per chunk a body held about 400 MB.
    expect(after.peakMb - baseline.rssMb, `peak ${after.peakMb.toFixed(1)} MB over a baseline of ${baseline.rssMb.toFixed(1)} MB`).toBeLessThan(64);
  });

  it('a body of 1,050,000 one-byte chunks (over the 1 MiB cap) gets 413', { timeout: 240_000 }, async () => {
    const mock = await startCliMock(['--port', '0', '--headers-timeout', '2m'], { NODE_OPTIONS: '--max-old-space-size=128' });
    child = mock.child;
    expect(await sendOneByteChunks(mock.url, 1_050_000, 'over')).toBe('HTTP/1.1 413 Payload Too Large');
    expect((await rawRequest(mock.url, { path: '/health' })).status).toBe(200);
  });
});
