import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Script } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { checkControlAccess } from '../src/mock/control-access.js';
import { createTokenCheck } from '../src/mock/control-token.js';
import { PAGE_SCRIPT } from '../src/mock/dashboard/page-script.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { rawRequest } from './support/raw-request.js';
import { openEventStream, type SseFrame } from './support/sse-client.js';

// The dashboard over HTTP, without a browser: the page and its headers, the access rules it shares with
// the control API (the token is not needed for the page alone), and the live stream: each answered request
// while someone watches, nothing while nobody does, and closing the mock ends open streams.

const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const LIST = '/v1/payment-intents';
const TOKEN = 'dashboard-stream-token-0123456789';
const json = { 'content-type': 'application/json' };

interface Update {
  requests: Array<{ seq: number; key: string; outcome: string; status: number; remaining?: number; scripted?: string; path: string }>;
  skipped: number;
  keys: Array<{ key: string; total: number; accepted: number; rejected: number; exempt: number }>;
  budgets: Array<{ key: string; limit: number; remaining: number; resetSeconds: number }>;
  faults: boolean;
  control: boolean;
}
const isUpdate = (frame: SseFrame) => frame.event === 'update';

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

describe('the dashboard page', () => {
  it('is not there without the control API: /__ratelimit/ui is an ordinary limited path', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 2 });
    const page = await rawRequest(mock.url, { path: '/__ratelimit/ui' });
    expect([page.status, page.headers['x-ratelimit-remaining']]).toEqual([404, '1']);
    expect((await rawRequest(mock.url, { path: '/__ratelimit/events' })).status).toBe(404);
  });

  it('is one HTML file whose CSP allows its own inline script and style only, same-origin calls, and no framing', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, control: true });
    const page = await rawRequest(mock.url, { path: '/__ratelimit/ui' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const csp = page.headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const script = /<script>([\s\S]*)<\/script>/.exec(page.text)?.[1] ?? '';
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    // Nothing from elsewhere: no external script, stylesheet, font or image.
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    const head = await rawRequest(mock.url, { method: 'HEAD', path: '/__ratelimit/ui' });
    expect([head.status, head.text]).toEqual([200, '']);
    const post = await rawRequest(mock.url, { method: 'POST', path: '/__ratelimit/ui', headers: json, body: '{}' });
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
    const del = await rawRequest(mock.url, { method: 'DELETE', path: '/__ratelimit/events', headers: { ...json, 'content-length': '2' }, body: '{}' });
    expect([del.status, del.headers.allow]).toEqual([405, 'GET']);
    console.log(`dashboard page: ${Buffer.byteLength(page.text)} bytes`);
  });

  it('carries a script that parses (the browser test runs it; this holds where Chromium is missing)', () => {
    expect(() => new Script(PAGE_SCRIPT)).not.toThrow();
  });

  it('is announced in the banner with its address', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, control: true });
    expect(mock.banner).toContain(`dashboard   ${mock.url}/__ratelimit/ui`);
    const token = await startMockServer({ profile: 'reconlayer', env: {}, controlToken: TOKEN });
    expect(token.banner).toContain(`dashboard   ${token.url}/__ratelimit/ui (it asks for the token)`);
    await token.close();
  });
});

describe('dashboard access: the control API check, one place', () => {
  const fakeRequest = (method: string, url: string, remoteAddress: string, headers: Record<string, string> = {}) =>
    ({ method, url, headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

  it('loopback mode: page and stream answer loopback callers only', () => {
    for (const url of ['/__ratelimit/ui', '/__ratelimit/events']) {
      const loopbackOnly = { tokenMatches: undefined };
      expect(checkControlAccess(fakeRequest('GET', url, '127.0.0.1'), 'GET', loopbackOnly).allowed).toBe(true);
      expect(checkControlAccess(fakeRequest('GET', url, '10.0.0.5'), 'GET', loopbackOnly).allowed).toBe(false);
    }
  });

  it('token mode: the page loads without the token (it holds no data); the stream and every other call need it', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, controlToken: TOKEN });
    expect((await rawRequest(mock.url, { path: '/__ratelimit/ui' })).status).toBe(200);
    expect((await rawRequest(mock.url, { path: '/__ratelimit/ui?from=bookmark' })).status).toBe(200);
    const withToken = { tokenMatches: createTokenCheck(TOKEN) };
    expect(checkControlAccess(fakeRequest('GET', '/__ratelimit/ui', '203.0.113.7'), 'GET', withToken).allowed).toBe(true);
    expect(checkControlAccess(fakeRequest('GET', '/__ratelimit/events', '203.0.113.7'), 'GET', withToken).allowed).toBe(false);
    const refused = await openEventStream(mock.url);
    expect(refused.status).toBe(403);
    refused.close();
    // Other spellings of the page, other methods, and the rest of the API are not the page.
    for (const [method, path] of [
      ['GET', '/__ratelimit/./ui'],
      ['GET', '//__ratelimit/ui'],
      ['GET', '/__ratelimit//ui'],
      ['GET', '/__ratelimit/%75i'],
      ['POST', '/__ratelimit/ui'],
      ['GET', '/__ratelimit/policy'],
      ['GET', '/__ratelimit/budgets'],
    ] as const) {
      expect((await rawRequest(mock.url, { method, path, headers: json, body: method === 'POST' ? '{}' : undefined })).status, `${method} ${path}`).toBe(403);
    }
    const stream = await openEventStream(mock.url, '/__ratelimit/events', { 'x-ratelimit-control-token': TOKEN });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await stream.next((frame) => frame.event === 'hello');
    stream.close();
  });
});

describe('the live stream', () => {
  it('sends each request answered while someone watches (accepted, rejected, exempt, scripted), and none while nobody does', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 2, control: true });
    const { url } = mock;
    const send = (path = LIST) => rawRequest(url, { path, headers: ACME });
    await send();
    const first = await openEventStream(url);
    const hello = await first.next((frame) => frame.event === 'hello');
    expect((hello.data as { requests: unknown[] }).requests).toEqual([]);
    expect((hello.data as { limits: Record<string, number> }).limits).toMatchObject({ requests: 200, keys: 100, perKey: 30, batch: 200 });

    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(429);
    expect((await send('/health')).status).toBe(200);
    const batches: Update[] = [];
    let from = 0;
    while (batches.flatMap((b) => b.requests).length < 3) {
      const frame = await first.next(isUpdate, from);
      from = first.frames.indexOf(frame) + 1;
      batches.push(frame.data as Update);
    }
    const seen = batches.flatMap((b) => b.requests);
    expect(seen.map((r) => [r.path, r.key, r.outcome, r.status, r.remaining])).toEqual([
      [LIST, 'organization:org_acme', 'accepted', 200, 0],
      [LIST, 'organization:org_acme', 'rejected', 429, 0],
      // An exempt request spends nothing; it is shown under the key it would have been charged to.
      ['/health', 'organization:org_acme', 'exempt', 200, undefined],
    ]);
    expect(batches.at(-1)?.keys).toEqual([{ key: 'organization:org_acme', total: 3, accepted: 1, rejected: 1, exempt: 1 }]);
    // With the budget as GET /__ratelimit/budgets/<key> describes it, so that pages need not ask.
    const budget = (await rawRequest(url, { path: '/__ratelimit/budgets/organization%3Aorg_acme' })).json;
    expect(batches.at(-1)?.budgets).toEqual([budget]);
    expect(budget).toMatchObject({ remaining: 0, limit: 2 });

    // A control write tells pages to read the control API again; a scripted step says the faults changed.
    await rawRequest(url, { method: 'POST', path: '/__ratelimit/faults', headers: json, body: '{"kind":"server-error","status":503,"times":1}' });
    const control = await first.next((frame) => isUpdate(frame) && (frame.data as Update).control, from);
    from = first.frames.indexOf(control) + 1;
    expect((await send('/health')).status).toBe(503);
    const scripted = await first.next((frame) => isUpdate(frame) && (frame.data as Update).faults, from);
    expect((scripted.data as Update).requests.map((r) => [r.outcome, r.status, r.scripted])).toEqual([['exempt', 503, '503']]);
    first.close();
    await first.ended;

    // Nobody watching: these are not recorded at all.
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < 3; i += 1) await send();
    const second = await openEventStream(url);
    const again = (await second.next((frame) => frame.event === 'hello')).data as Update;
    expect(again.requests.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(again.keys).toEqual([{ key: 'organization:org_acme', total: 4, accepted: 1, rejected: 1, exempt: 2 }]);
    second.close();
  });

  it('ends when the mock closes, so that closing does not wait for the watcher', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, control: true });
    const stream = await openEventStream(mock.url);
    await stream.next((frame) => frame.event === 'hello');
    const closing = mock;
    mock = undefined;
    await closing.close();
    await stream.ended;
  });

  it('lists at most 200 requests per frame, counting the rest, however fast they come', async () => {
    mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 1_000_000, control: true });
    const stream = await openEventStream(mock.url);
    await stream.next((frame) => frame.event === 'hello');
    await Promise.all(Array.from({ length: 300 }, () => rawRequest((mock as MockServer).url, { path: LIST, headers: ACME })));
    let listed = 0;
    let skipped = 0;
    let from = 0;
    while (listed + skipped < 300) {
      const frame = await stream.next(isUpdate, from);
      from = stream.frames.indexOf(frame) + 1;
      const update = frame.data as Update;
      expect(update.requests.length).toBeLessThanOrEqual(200);
      listed += update.requests.length;
      skipped += update.skipped;
    }
    expect(listed + skipped).toBe(300);
    stream.close();
  });
});
