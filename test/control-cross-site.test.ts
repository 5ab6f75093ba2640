import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { rawRequest } from './support/raw-request.js';

// Round two (issue 10): web pages could drive the control API. With --control, a cross-site `text/plain`
// POST (a no-cors fetch or a form) from any page in a local browser scheduled a million 500s or moved the
// clock, and a foreign Host was accepted, so a page that rebinds its DNS name to 127.0.0.1 could read
// /budgets as a same-origin page. Proven with raw requests, with curl, and in headless Chromium.
const TOKEN = 'a-long-control-token-0123456789';
const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const JSON_TYPE = { 'content-type': 'application/json' };

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function start(options: { controlToken?: string; port?: number; log?: (line: string) => void } = {}): Promise<MockServer> {
  mock = await startMockServer({ profile: 'reconlayer', env: {}, control: true, ...options });
  return mock;
}

/** What a write could have changed: the clock's mode and reading, the faults, acme's budget. */
async function stateOf(m: MockServer) {
  const faults = (await rawRequest(m.url, { path: '/__ratelimit/faults' })).json as { faults: unknown[] };
  const acme = (await rawRequest(m.url, { path: '/__ratelimit/budgets/organization%3Aorg_acme' })).json as { remaining: number };
  return { frozen: m.clock.frozen, faults: faults.faults.length, acmeRemaining: acme.remaining };
}

describe('control writes must be JSON (raw requests)', () => {
  it.each([
    ['text/plain', 'text/plain'],
    ['text/plain;charset=UTF-8 (a no-cors fetch)', 'text/plain;charset=UTF-8'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['a multipart form', 'multipart/form-data; boundary=x'],
    ['no content type', undefined],
    ['text/json', 'text/json'],
    ['application/jsonp', 'application/jsonp'],
  ])('%s is refused with 415, and changes nothing', async (_name, contentType) => {
    const m = await start();
    await rawRequest(m.url, { path: '/v1/payment-intents', headers: ACME });
    const before = await stateOf(m);
    const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
    for (const [path, body] of [
      ['/__ratelimit/faults', '{"kind":"server-error","times":1000000}'],
      ['/__ratelimit/clock/advance', '{"by":"1h"}'],
      ['/__ratelimit/clock', '{"mode":"virtual"}'],
    ] as const) {
      const res = await rawRequest(m.url, { method: 'POST', path, headers, body });
      expect(res.status, path).toBe(415);
      expect(res.json).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type', message: expect.stringContaining('application/json') });
    }
    expect(await stateOf(m)).toEqual(before);
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON'])('%s is served', async (contentType) => {
    const m = await start();
    const res = await rawRequest(m.url, { method: 'POST', path: '/__ratelimit/clock', headers: { 'content-type': contentType }, body: '{"mode":"virtual"}' });
    expect(res.status).toBe(200);
    expect(m.clock.frozen).toBe(true);
  });

  it('reads and DELETE need no content type', async () => {
    const m = await start();
    expect((await rawRequest(m.url, { path: '/__ratelimit/budgets' })).status).toBe(200);
    expect((await rawRequest(m.url, { method: 'DELETE', path: '/__ratelimit/faults' })).status).toBe(200);
  });
});

describe('requests from web pages of another origin (raw requests)', () => {
  const port = () => (mock as MockServer).port;
  it.each<[string, () => Record<string, string>]>([
    ['Origin of another site', () => ({ origin: 'http://evil.test' })],
    ['Origin of another port of 127.0.0.1', () => ({ origin: `http://127.0.0.1:${port() + 1}` })],
    ['Origin localhost for a 127.0.0.1 request', () => ({ origin: `http://localhost:${port()}` })],
    ['Origin null (a sandboxed frame, a file: page)', () => ({ origin: 'null' })],
    ['Sec-Fetch-Site: cross-site', () => ({ 'sec-fetch-site': 'cross-site' })],
    ['Sec-Fetch-Site: same-site (another port of localhost)', () => ({ 'sec-fetch-site': 'same-site' })],
    ['an unknown Sec-Fetch-Site', () => ({ 'sec-fetch-site': 'bogus' })],
    ['a same-origin Origin with a cross-site Sec-Fetch-Site', () => ({ origin: `http://127.0.0.1:${port()}`, 'sec-fetch-site': 'cross-site' })],
  ])('%s: 403 for a read and a JSON write, nothing changes', async (_name, headersOf) => {
    const m = await start();
    const before = await stateOf(m);
    const read = await rawRequest(m.url, { path: '/__ratelimit/budgets', headers: headersOf() });
    expect(read.status).toBe(403);
    expect(read.text).not.toContain('"budgets"');
    const write = await rawRequest(m.url, {
      method: 'POST',
      path: '/__ratelimit/clock',
      headers: { ...JSON_TYPE, ...headersOf() },
      body: '{"mode":"virtual"}',
    });
    expect(write.status).toBe(403);
    expect(await stateOf(m)).toEqual(before);
  });

  it.each<[string, () => Record<string, string>]>([
    ['its own Origin', () => ({ origin: `http://127.0.0.1:${port()}` })],
    ['Sec-Fetch-Site: same-origin', () => ({ 'sec-fetch-site': 'same-origin' })],
    ['Sec-Fetch-Site: none (a typed URL)', () => ({ 'sec-fetch-site': 'none' })],
  ])('%s is served (a page of the same origin, a dashboard, an EventSource)', async (_name, headersOf) => {
    const m = await start();
    expect((await rawRequest(m.url, { path: '/__ratelimit/budgets', headers: headersOf() })).status).toBe(200);
    const write = await rawRequest(m.url, {
      method: 'POST',
      path: '/__ratelimit/clock',
      headers: { ...JSON_TYPE, ...headersOf() },
      body: '{"mode":"virtual"}',
    });
    expect(write.status).toBe(200);
  });
});

describe('the Host must name loopback unless a token is used (DNS rebinding)', () => {
  it.each(['evil.test', 'evil.test:80', '127.0.0.1.evil.test', 'localhost.evil.test', '127.0.0.256', '127.0.0.01', '[::2]', '10.0.0.1', 'localhost:x'])(
    'Host %s: /budgets is not readable and the clock does not move',
    async (host) => {
      const m = await start();
      await rawRequest(m.url, { path: '/v1/payment-intents', headers: ACME });
      const read = await rawRequest(m.url, { path: '/__ratelimit/budgets', headers: { host } });
      expect(read.status).toBe(403);
      expect(read.text).not.toContain('organization:org_acme');
      const write = await rawRequest(m.url, { method: 'POST', path: '/__ratelimit/clock/advance', headers: { host, ...JSON_TYPE }, body: '{"by":"1h"}' });
      expect(write.status).toBe(403);
      expect(m.clock.frozen).toBe(false);
    },
  );

  it.each(['localhost', 'LOCALHOST:3001', 'app.localhost:3001', 'localhost.', '127.0.0.1', '127.0.0.2:80', '[::1]:3001', '[::ffff:127.0.0.1]'])(
    'Host %s is served',
    async (host) => {
      const m = await start();
      expect((await rawRequest(m.url, { path: '/__ratelimit/budgets', headers: { host } })).status).toBe(200);
    },
  );

  it('with --control-token, any Host is served to a caller with the token (and refused without it)', async () => {
    const m = await start({ controlToken: TOKEN });
    const host = 'mock.internal:3001';
    expect((await rawRequest(m.url, { path: '/__ratelimit/budgets', headers: { host, 'x-ratelimit-control-token': TOKEN } })).status).toBe(200);
    expect((await rawRequest(m.url, { path: '/__ratelimit/budgets', headers: { host } })).status).toBe(403);
    // The token does not let a page of another origin in.
    const fromPage = await rawRequest(m.url, {
      path: '/__ratelimit/budgets',
      headers: { host, origin: 'http://evil.test', 'x-ratelimit-control-token': TOKEN },
    });
    expect(fromPage.status).toBe(403);
  });
});

const exec = promisify(execFile);
/** curl, as a user types it; returns the status and the body. */
async function curl(args: string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await exec('curl', ['--silent', '--noproxy', '*', '--write-out', '\n%{http_code}', ...args]);
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

/** The README's curl lines under "Test control", as argument lists (single quotes only, as written there). */
function readmeCurlLines(url: string): string[][] {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Test control'), readme.indexOf('### Programmatic'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .filter((line) => line.startsWith('curl '))
    .map((line) => [...line.slice(5).matchAll(/'([^']*)'|(\S+)/g)].map((m) => (m[1] ?? m[2] ?? '').replace('http://127.0.0.1:3001', url)));
}

describe.skipIf(!existsSync('/usr/bin/curl'))('curl-style calls with the right headers work', () => {
  it("the README's curl lines work as written; reads and DELETE need no header; curl -d alone (a form body) gets 415 saying what to add", async () => {
    const m = await start();
    const lines = readmeCurlLines(m.url);
    expect(lines).toHaveLength(2);
    for (const args of lines) expect((await curl(args)).status, args.join(' ')).toBe(200);
    expect(m.clock.frozen).toBe(true);
    const json = ['-H', 'content-type: application/json'];
    expect((await curl([...json, '-d', '{"kind":"server-error","times":2}', `${m.url}/__ratelimit/faults`])).status).toBe(201);
    expect((await curl([`${m.url}/__ratelimit/budgets`])).status).toBe(200);
    expect((await curl(['-X', 'DELETE', `${m.url}/__ratelimit/faults`])).status).toBe(200);
    expect((await curl([...json, '-d', '{}', `http://localhost:${m.port}/__ratelimit/clock/advance`])).status).toBe(400);
    const form = await curl(['-d', '{"mode":"real"}', `${m.url}/__ratelimit/clock`]);
    expect(form.status).toBe(415);
    expect(form.body).toContain("-H 'content-type: application/json'");
    expect(m.clock.frozen).toBe(true);
  });
});

// -------------------------------------------------------------------------------------------------
// In headless Chromium. A small launcher of our own (the shared test/support/browser.ts is not merged
// yet): Debian's /usr/bin/chromium through playwright-core, the guide's flags, a new empty profile.
// `--host-resolver-rules` maps rebind.test to 127.0.0.1, as a rebinding DNS server would.
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP rebind.test 127.0.0.1',
];

/** The attacker's page: every way a page can write to the control API at `target` without CORS, and a read. */
const attackPage = (target: string) => `<!doctype html><meta charset="utf-8"><title>attack</title><body>
<iframe name="sink"></iframe>
<form id="form" method="POST" action="${target}/__ratelimit/faults" enctype="text/plain" target="sink"><input name='{"kind":"server-error","times":1000000,"pad":"' value='"}'></form>
<script>
const attempt = (promise) => promise.then(async (r) => (r.type === 'opaque' ? 'opaque' : r.status + ' ' + (await r.text())), (e) => String(e));
window.attack = async () => {
  const out = {
    noCorsAdvance: await attempt(fetch('${target}/__ratelimit/clock/advance', { method: 'POST', mode: 'no-cors', body: '{"by":"1h"}' })),
    noCorsFaults: await attempt(fetch('${target}/__ratelimit/faults', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{"kind":"server-error","times":1000000}' })),
    read: await attempt(fetch('${target}/__ratelimit/budgets')),
    reset: await attempt(fetch('${target}/__ratelimit/budgets', { method: 'DELETE' })),
  };
  document.getElementById('form').submit();
  return out;
};
window.jsonWrite = () => attempt(fetch('${target}/__ratelimit/clock/advance', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"by":"1h"}' }));
</script>`;

function servePage(html: string, port = 0): Promise<Server> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' }).end(html));
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
const portOf = (server: Server) => (server.address() as AddressInfo).port;
const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/** Waits (bounded: 400 polls, 20 s; a cross-site form starts a renderer process, seconds on a loaded machine) until the mock has logged `count` control requests; returns their lines. */
async function controlLines(lines: string[], count: number): Promise<string[]> {
  const control = () => lines.filter((line) => line.includes('/__ratelimit'));
  for (let i = 0; i < 400 && control().length < count; i += 1) await sleep(50);
  return control();
}

describe.skipIf(!existsSync(CHROMIUM))('in headless Chromium: pages of another origin cannot drive the control API', () => {
  let browser: BrowserContext;
  let profileDir: string;
  beforeAll(async () => {
    profileDir = mkdtempSync(join(tmpdir(), 'rlc-chromium-'));
    browser = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  const attack = async (page: Page) => page.evaluate(() => (globalThis as unknown as { attack(): Promise<Record<string, string>> }).attack());

  it.each([
    ['another port of 127.0.0.1 (same-site)', '127.0.0.1'],
    ['localhost, calling 127.0.0.1 (cross-site)', 'localhost'],
  ])('a page on %s: no-cors text/plain POSTs, a text/plain form and a DELETE are refused; nothing changes', { timeout: 60_000 }, async (_name, pageHost) => {
    const lines: string[] = [];
    const m = await start({ log: (line) => lines.push(line) });
    await rawRequest(m.url, { path: '/v1/payment-intents', headers: ACME });
    const before = await stateOf(m);
    lines.length = 0;
    const server = await servePage(attackPage(m.url));
    const page = await browser.newPage();
    try {
      await page.goto(`http://${pageHost}:${portOf(server)}/`);
      const seen = await attack(page);
      // The writes went out (opaque answers); the read and the DELETE's preflight fail in the browser.
      expect(seen).toMatchObject({
        noCorsAdvance: 'opaque',
        noCorsFaults: 'opaque',
        read: expect.stringMatching(/Failed to fetch/),
        reset: expect.stringMatching(/Failed to fetch/),
      });
      // Each arrived at the mock and was refused: two POSTs, the read, the DELETE's preflight, the form.
      const refused = await controlLines(lines, 5);
      expect(refused.map((line) => /^(\S+) (\S+) .* status=(\d+)/.exec(line)?.slice(1).join(' ')).sort()).toEqual(
        [
          'GET /__ratelimit/budgets 403',
          'OPTIONS /__ratelimit/budgets 403',
          'POST /__ratelimit/clock/advance 403',
          'POST /__ratelimit/faults 403',
          'POST /__ratelimit/faults 403',
        ].sort(),
      );
      expect(await stateOf(m)).toEqual(before);
    } finally {
      await page.close();
      await closeServer(server);
    }
  });

  it('a page that rebinds its DNS name to 127.0.0.1 (rebind.test on the mock port) can neither read /budgets nor write', { timeout: 60_000 }, async () => {
    // The attacker serves the page from rebind.test:P; then rebind.test resolves to 127.0.0.1 and P is the mock.
    const evil = await servePage(attackPage(''));
    const port = portOf(evil);
    const page = await browser.newPage();
    try {
      await page.goto(`http://rebind.test:${port}/`);
      await closeServer(evil);
      const lines: string[] = [];
      const m = await start({ port, log: (line) => lines.push(line) });
      await rawRequest(m.url, { path: '/v1/payment-intents', headers: ACME });
      const before = await stateOf(m);
      lines.length = 0;
      const seen = await attack(page);
      // Same origin for the browser, so it reads the answers: each a 403, and no budget in any.
      for (const answer of Object.values(seen)) expect(answer).toMatch(/^403 /);
      expect(seen.read).not.toContain('org_acme');
      expect(await page.evaluate(() => (globalThis as unknown as { jsonWrite(): Promise<string> }).jsonWrite())).toMatch(/^403 /);
      expect(new Set((await controlLines(lines, 6)).map((line) => /status=(\d+)/.exec(line)?.[1]))).toEqual(new Set(['403']));
      expect(await stateOf(m)).toEqual(before);
    } finally {
      await page.close();
    }
  });
});
