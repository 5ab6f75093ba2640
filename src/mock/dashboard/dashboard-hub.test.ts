import { EventEmitter, once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../engine/create-engine.js';
import { loadEngine } from '../../engine/load-engine.js';
import type { Reply } from '../../engine/reply.js';
import { RequestObservers } from '../request-observers.js';
import { DashboardHub, FLUSH_MS, MAX_BATCH } from './dashboard-hub.js';
import { EventStream, sseFrame } from './event-stream.js';

/** A response that counts what waits to be sent, as node's does; `read()` empties it as a client reading would. */
class FakeResponse extends EventEmitter {
  writableLength = 0;
  destroyed = false;
  writableEnded = false;
  written: string[] = [];
  writeHead() {
    return this;
  }
  write(text: string) {
    this.written.push(text);
    this.writableLength += Buffer.byteLength(text);
    return this.writableLength < 16_384;
  }
  end() {
    this.writableEnded = true;
    this.emit('close');
  }
  read() {
    this.writableLength = 0;
    this.emit('drain');
  }
  frames(event: string) {
    return this.written.filter((text) => text.startsWith(`event: ${event}\n`) || text.includes(`\nevent: ${event}\n`));
  }
}
const asResponse = (res: FakeResponse) => res as unknown as ServerResponse;

const ACME = { authorization: 'Bearer rl_test_acme_primary' };
let engine: Engine;
beforeAll(async () => {
  engine = (await loadEngine({ profile: 'reconlayer', env: {}, limit: 1_000_000 })).engine;
});
afterAll(() => engine.close());

function answer(url = '/v1/payment-intents') {
  const call = { method: 'GET', url, headers: ACME, clientAddress: '127.0.0.1', body: new Uint8Array() };
  return { call, reply: engine.respond(call) as Reply, status: 200, receivedAtMs: 0, answeredAtMs: 0 };
}

describe('EventStream: a slow reader cannot make the mock buffer without bound', () => {
  it('drops frames past the cap and, once drained, sends one resync instead', () => {
    const res = new FakeResponse();
    const stream = new EventStream(asResponse(res), () => sseFrame('resync', { fresh: true }), 10_000);
    stream.open(sseFrame('hello', {}));
    const frame = sseFrame('update', { pad: 'x'.repeat(1_000) });
    for (let i = 0; i < 100; i += 1) stream.send(frame);
    expect(res.writableLength).toBeLessThanOrEqual(10_000 + Buffer.byteLength(frame));
    expect(stream.dropped).toBeGreaterThan(80);
    expect(res.frames('resync')).toEqual([]);
    res.read();
    expect(res.frames('resync')).toHaveLength(1);
    expect(stream.resyncs).toBe(1);
    stream.send(frame);
    expect(res.written.at(-1)).toBe(frame);
  });
});

describe('a real socket whose client stops reading', () => {
  it('keeps at most the cap waiting in the mock, and resyncs the client once it reads again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const observers = new RequestObservers();
    const cap = 64 * 1024;
    const hub = new DashboardHub({ engine }, observers, cap);
    let response: ServerResponse | undefined;
    const server = createServer((_req, res) => {
      response = res;
      hub.openStream(res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = connect((server.address() as { port: number }).port, '127.0.0.1');
    let received = '';
    client.setEncoding('utf8');
    client.on('data', (chunk: string) => {
      received += chunk;
    });
    try {
      client.write('GET /__ratelimit/events HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
      while (received.indexOf('event: hello') === -1) await new Promise((resolve) => setImmediate(resolve));
      client.pause();
      // Frames of about 100 KB (200 requests with long paths) until the kernel's buffers are full and the mock's own fill up.
      const long = `/v1/payment-intents/${'x'.repeat(280)}`;
      let most = 0;
      for (let frame = 0; frame < 300; frame += 1) {
        for (let i = 0; i < MAX_BATCH; i += 1) observers.notify(answer(long));
        vi.advanceTimersByTime(FLUSH_MS);
        await new Promise((resolve) => setImmediate(resolve));
        most = Math.max(most, response?.writableLength ?? 0);
      }
      expect(most).toBeGreaterThan(cap);
      expect(most).toBeLessThan(cap + 150_000);
      expect(received).not.toContain('event: resync');
      client.resume();
      for (let i = 0; i < 2_000 && !received.includes('event: resync'); i += 1) await new Promise((resolve) => setImmediate(resolve));
      expect(received).toContain('event: resync');
    } finally {
      vi.useRealTimers();
      client.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('DashboardHub', () => {
  it('observes only while a stream is open', () => {
    const observers = new RequestObservers();
    const hub = new DashboardHub({ engine }, observers);
    expect(observers.size).toBe(0);
    const a = new FakeResponse();
    const b = new FakeResponse();
    hub.openStream(asResponse(a));
    hub.openStream(asResponse(b));
    expect([observers.size, hub.watchers]).toEqual([1, 2]);
    a.end();
    expect(observers.size).toBe(1);
    b.end();
    expect([observers.size, hub.watchers]).toEqual([0, 0]);
  });

  it(`sends one frame per ${FLUSH_MS} ms listing at most ${MAX_BATCH} requests, and counts the rest`, async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const observers = new RequestObservers();
      const hub = new DashboardHub({ engine }, observers);
      const res = new FakeResponse();
      hub.openStream(asResponse(res));
      for (let i = 0; i < 500; i += 1) observers.notify(answer());
      expect(res.frames('update')).toEqual([]);
      vi.advanceTimersByTime(FLUSH_MS);
      await new Promise((resolve) => setImmediate(resolve));
      const updates = res.frames('update');
      expect(updates).toHaveLength(1);
      const update = JSON.parse((updates[0] as string).split('data: ')[1] as string);
      expect([update.requests.length, update.skipped]).toEqual([MAX_BATCH, 300]);
      expect(update.keys).toEqual([{ key: 'organization:org_acme', total: 500, accepted: 500, rejected: 0, exempt: 0 }]);
      // With the budget of each key it touched, as GET /__ratelimit/budgets/<key> describes it.
      expect(update.budgets).toEqual([await engine.describeBudget('organization:org_acme')]);
      expect(update.budgets[0]).toMatchObject({ key: 'organization:org_acme', limit: 1_000_000 });
      // Closing the server ends the stream and refuses new ones.
      observers.close();
      expect([res.writableEnded, observers.size]).toEqual([true, 0]);
      const late = new FakeResponse();
      hub.openStream(asResponse(late));
      expect(hub.watchers).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
