import type { ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startMockServer } from '../src/mock/index.js';
import { startCliMock } from './support/run-cli.js';

// Round two (issue 10): the clientError handler ended sockets without destroying them, so 150 clients that
// never close held 150 descriptors after their 400; and the header timeout fired after about 30 s (node
// checks its timeouts every 30 s) with a 400. Proven on a spawned mock, by its /proc/<pid>/fd.
const CLIENTS = 150;

let child: ChildProcess | undefined;
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  child?.kill('SIGKILL');
  child = undefined;
});

const descriptorsOf = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

/** A client that writes `bytes` and never closes its side; resolves with the first status line it reads. */
function stubbornClient(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  // allowHalfOpen: the client does not answer the server's FIN with its own, as a careless client would not.
  const socket = connect({ host: hostname, port: Number(port), allowHalfOpen: true });
  sockets.push(socket);
  socket.on('error', () => undefined);
  socket.on('connect', () => socket.write(bytes));
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) resolve(received.slice(0, received.indexOf('\r\n')));
    });
    socket.on('end', () => resolve(received === '' ? 'closed without an answer' : received));
  });
}

/** Polls the descriptor count until it is at most `atMost` (bounded: 100 polls); returns the last count. */
async function descriptorsSettle(pid: number, atMost: number): Promise<number> {
  let count = descriptorsOf(pid);
  for (let i = 0; i < 100 && count > atMost; i += 1) {
    await sleep(100);
    count = descriptorsOf(pid);
  }
  return count;
}

describe.skipIf(process.platform !== 'linux')('client errors free their descriptors (/proc/<pid>/fd of a spawned mock)', () => {
  it(`${CLIENTS} clients that send garbage and never close: each gets its 400, and no descriptor stays open`, async () => {
    const mock = await startCliMock(['--port', '0']);
    child = mock.child;
    const pid = mock.child.pid as number;
    const baseline = descriptorsOf(pid);
    const answers = await Promise.all(Array.from({ length: CLIENTS }, () => stubbornClient(mock.url, 'GARBAGE\r\n\r\n')));
    expect(new Set(answers)).toEqual(new Set(['HTTP/1.1 400 Bad Request']));
    // Before: baseline + 150, until the clients closed their side.
    expect(await descriptorsSettle(pid, baseline + 2)).toBeLessThanOrEqual(baseline + 2);
  });

  it(`${CLIENTS} clients that stall in their headers get 408 at --headers-timeout, and no descriptor stays open`, { timeout: 40_000 }, async () => {
    const mock = await startCliMock(['--port', '0', '--headers-timeout', '1s']);
    child = mock.child;
    const pid = mock.child.pid as number;
    const baseline = descriptorsOf(pid);
    const answers = Promise.all(
      Array.from({ length: CLIENTS }, () => stubbornClient(mock.url, 'GET /v1/payment-intents HTTP/1.1\r\nhost: 127.0.0.1\r\nauthoriz')),
    );
    // While they stall they hold descriptors (so the count below is not a stale reading): watch it until the answers come.
    let answered = false;
    void answers.finally(() => {
      answered = true;
    });
    let peak = 0;
    while (!answered) {
      peak = Math.max(peak, descriptorsOf(pid));
      await sleep(50);
    }
    expect(peak).toBeGreaterThan(baseline + CLIENTS / 2);
    expect(new Set(await answers)).toEqual(new Set(['HTTP/1.1 408 Request Timeout']));
    expect(await descriptorsSettle(pid, baseline + 2)).toBeLessThanOrEqual(baseline + 2);
  });
});

describe('the server timeouts, as documented', () => {
  it('headers 15 s, request 30 s, checked every second; a longer --headers-timeout raises the request timeout with it', async () => {
    const mock = await startMockServer({ profile: 'reconlayer', env: {} });
    const longer = await startMockServer({ profile: 'reconlayer', env: {}, headersTimeoutMs: 45_000 });
    try {
      expect([mock.server.headersTimeout, mock.server.requestTimeout, mock.server.keepAliveTimeout]).toEqual([15_000, 30_000, 5_000]);
      expect([longer.server.headersTimeout, longer.server.requestTimeout]).toEqual([45_000, 45_000]);
    } finally {
      await mock.close();
      await longer.close();
    }
  });

  it.each([0, -1, 1.5, Number.NaN, 3_600_001])('refuses headersTimeoutMs %s with one line', async (value) => {
    await expect(startMockServer({ profile: 'reconlayer', env: {}, headersTimeoutMs: value })).rejects.toThrow(
      /^Failed to read the headersTimeoutMs option: .* is not a whole number of milliseconds from 1 to 3600000\. Pass e\.g\. headersTimeoutMs: 15000\.$/,
    );
  });
});
