import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { type ChromiumSession, chromiumMissing, launchChromium, saveScreenshot, scrollsSideways } from './support/browser.js';
import { rawRequest } from './support/raw-request.js';

// The live dashboard (GET /__ratelimit/ui) in Debian's Chromium, driven as a user would: requests sent to
// the mock over real HTTP from the test show up in the key's budget and timeline; its buttons advance the
// clock, reset a key and script a fault; it fits 360 px in light and dark; in token mode it takes the token
// from the URL fragment and never puts it in a URL; a page of another site can neither frame it, read its
// stream nor send it JSON. Screenshots go to test-artifacts/ (gitignored).

const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const LIST = '/v1/payment-intents';
const ACME_KEY = 'organization:org_acme';
const TOKEN = 'dashboard-test-token-0123456789';
const WAIT = { timeout: 10_000 };

let browser: ChromiumSession | undefined;
let mock: MockServer | undefined;

beforeAll(async () => {
  if (!chromiumMissing) browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  // Chromium keeps (and preconnects) sockets that have sent no request, which a graceful close waits for:
  // the pages are closed by now, so every connection can go.
  const closing = mock?.close();
  mock?.server.closeAllConnections();
  await closing;
  mock = undefined;
});

const send = (path = LIST, headers: Record<string, string> = ACME) => rawRequest((mock as MockServer).url, { path, headers });

/** What the page's calls to the control API look like to the access check. */
interface SentCall {
  method: string;
  url: string;
  headers: Promise<Record<string, string>>;
}

/** Opens the dashboard; collects every URL the page requests, and its calls (all headers, as sent). */
async function openDashboard(
  options: Parameters<ChromiumSession['newPage']>[0] = {},
  suffix = '',
): Promise<{ page: Page; requested: string[]; calls: SentCall[] }> {
  const page = await (browser as ChromiumSession).newPage(options);
  const requested: string[] = [];
  const calls: SentCall[] = [];
  page.on('request', (request) => {
    requested.push(request.url());
    if (request.resourceType() !== 'document') calls.push({ method: request.method(), url: request.url(), headers: request.allHeaders() });
  });
  await page.goto(`${(mock as MockServer).url}/__ratelimit/ui${suffix}`);
  return { page, requested, calls };
}

/**
 * The rules the control API's access check holds web pages to (docs/hardening.md): same-origin only
 * (`Sec-Fetch-Site: same-origin`, no other `Origin`), a loopback `Host`, and writes that say they carry JSON.
 */
async function expectSameOriginJsonCalls(calls: SentCall[], origin: string): Promise<void> {
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) {
    const headers = await call.headers;
    const what = `${call.method} ${call.url}`;
    expect(new URL(call.url).origin, what).toBe(origin);
    expect(headers['sec-fetch-site'], what).toBe('same-origin');
    expect([undefined, origin], what).toContain(headers.origin);
    expect(headers.host ?? new URL(call.url).host, what).toMatch(/^127\.0\.0\.1:\d+$/);
    if (call.method !== 'GET') expect(headers['content-type'], what).toBe('application/json');
  }
}

const live = (page: Page) => page.getByText('Live', { exact: true }).waitFor(WAIT);
const keyCard = (page: Page, key: string): Locator =>
  page
    .getByRole('list', { name: 'Budgets' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: key, exact: true }) });

describe('the live dashboard in Chromium', { timeout: 60_000 }, () => {
  it("shows a key's budget and timeline as requests arrive, and its buttons advance the clock, reset a key and script a fault", async (context) => {
    if (chromiumMissing) return context.skip(chromiumMissing);
    mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 3, window: '1m', control: true });
    const { page, requested, calls } = await openDashboard({ width: 1100, height: 900 });
    try {
      await live(page);
      expect(await page.getByText('3 requests per 1 minute (fixed-window), per organization').isVisible()).toBe(true);
      await page.getByRole('button', { name: 'Freeze clock' }).click();
      await page.getByText('Virtual time (frozen)').waitFor(WAIT);
      expect(mock.clock.frozen).toBe(true);

      // Three served, the fourth refused, then an exempt path: all from the test, over HTTP.
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await send()).status);
      statuses.push((await send('/health')).status);
      expect(statuses).toEqual([200, 200, 200, 429, 200]);
      const card = keyCard(page, ACME_KEY);
      await card.getByText('0 of 3 left').waitFor(WAIT);
      const timeline = card.getByRole('img', { name: /^Timeline of the last 5 requests: 3 accepted, 1 rejected, 1 exempt; latest 200 exempt$/ });
      await timeline.waitFor(WAIT);
      expect(await timeline.locator('.mark.rejected').count()).toBe(1);
      expect(await card.getByText('5 seen: 3 accepted, 1 rejected, 1 exempt').isVisible()).toBe(true);
      // The stream brought the budgets: the page asked for none of them (nor filled the mock's log with asking).
      expect(requested.filter((url) => url.includes('/__ratelimit/budgets/'))).toEqual([]);
      const rows = page.getByRole('table').getByRole('row');
      expect(await rows.filter({ hasText: '429' }).filter({ hasText: 'rejected' }).count()).toBe(1);
      await saveScreenshot(page, 'dashboard-desktop-light', { fullPage: true });

      // "Advance clock" (1m by default) ends the window: the budget is full again.
      await page.getByRole('button', { name: 'Advance clock' }).click();
      await card.getByText('3 of 3 left').waitFor(WAIT);
      expect(await page.getByRole('status').textContent()).toBe('Clock advanced by 1m');
      expect((await send()).headers['x-ratelimit-remaining']).toBe('2');
      await card.getByText('2 of 3 left').waitFor(WAIT);

      // Reset the one key.
      await card.getByRole('button', { name: `Reset key ${ACME_KEY}` }).click();
      await card.getByText('3 of 3 left').waitFor(WAIT);
      expect((await send()).headers['x-ratelimit-remaining']).toBe('2');

      // Script a 429 on the list route from the form; the next request meets it, and the list empties.
      await page.getByLabel('Kind').selectOption('rate-limited');
      await page.getByLabel('Path').fill(LIST);
      await page.getByLabel('Retry after (s)').fill('7');
      await page.getByRole('button', { name: 'Add fault' }).click();
      const faults = page.locator('#faults');
      await faults.getByText(`any ${LIST}`).waitFor(WAIT);
      expect(await faults.textContent()).toContain('rate-limited (429, retry after 7 s) ×1 left');
      const scripted = await send();
      expect([scripted.status, scripted.headers['retry-after']]).toEqual([429, '7']);
      await faults.getByText('No scripted faults').waitFor(WAIT);
      await rows.filter({ hasText: 'scripted 429' }).first().waitFor(WAIT);
      await card.getByRole('img', { name: /latest 429 rejected$/ }).waitFor(WAIT);
      await saveScreenshot(page, 'dashboard-after-actions', { fullPage: true });

      // docs/images/dashboard.png: a second organization that spent its budget, an anonymous caller, a fault still pending.
      const globex = { authorization: 'Bearer rl_test_globex_primary' };
      for (let i = 0; i < 4; i += 1) await send(LIST, globex);
      await rawRequest(mock.url, { path: LIST, localAddress: '127.0.0.2' });
      const fault = { kind: 'server-error', status: 503, times: 2, method: 'POST', path: LIST };
      await rawRequest(mock.url, { method: 'POST', path: '/__ratelimit/faults', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
      await faults.getByText('server-error 503 ×2 left').waitFor(WAIT);
      await keyCard(page, 'ip:127.0.0.2').getByText('2 of 3 left').waitFor(WAIT);
      await keyCard(page, 'organization:org_globex').getByText('0 of 3 left').waitFor(WAIT);
      await saveScreenshot(page, 'dashboard-readme', { clip: { x: 0, y: 0, width: 1100, height: 720 } });

      // Everything it fetched came from the mock's control API: not even a favicon, which would spend a budget.
      expect(requested.filter((url) => !url.startsWith(`${mock?.url}/__ratelimit/`))).toEqual([]);
      expect(await page.getByText('Showing 3 of 3 keys.').isVisible()).toBe(true);
      // Every call it made (reads, the stream, writes: freeze, advance, reset a key, add a fault) passes the access rules for pages.
      expect(new Set(calls.map((call) => call.method))).toEqual(new Set(['GET', 'POST', 'DELETE']));
      await expectSameOriginJsonCalls(calls, new URL(mock.url).origin);
    } finally {
      await page.close();
    }
  });

  it('with many keys lists the 24 most recent or busiest, and the filter finds the others', async (context) => {
    if (chromiumMissing) return context.skip(chromiumMissing);
    mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 5, trustProxy: true, control: true });
    const { page } = await openDashboard({ width: 1100, height: 900 });
    try {
      await live(page);
      // 60 callers by X-Forwarded-For (--trust-proxy): 60 keys. The first sends four times, then the others once.
      for (let i = 0; i < 4; i += 1) await send(LIST, { 'x-forwarded-for': '198.51.100.1' });
      for (let i = 2; i <= 60; i += 1) await send(LIST, { 'x-forwarded-for': `198.51.100.${i}` });
      await page.getByText('Showing 24 of 60 keys; filter to find the others.').waitFor(WAIT);
      const keys = page.getByRole('list', { name: 'Budgets' }).getByRole('heading');
      expect(await keys.count()).toBe(24);
      // Most recent first: the last caller leads and the busy one, long quiet, is not listed.
      expect(await keys.first().textContent()).toBe('ip:198.51.100.60');
      expect(await keyCard(page, 'ip:198.51.100.1').count()).toBe(0);
      await page.getByLabel('Order').selectOption('busiest');
      await keyCard(page, 'ip:198.51.100.1').getByText('4 seen: 4 accepted, 0 rejected, 0 exempt').waitFor(WAIT);
      expect(await keys.first().textContent()).toBe('ip:198.51.100.1');
      await page.getByLabel('Filter keys').fill('198.51.100.2');
      // 198.51.100.2 and .20 to .29: the second is among the least recent, not listed before the filter.
      await page.getByText('Showing 11 of 11 keys.').waitFor(WAIT);
      await keyCard(page, 'ip:198.51.100.2').getByText('4 of 5 left').waitFor(WAIT);
    } finally {
      await page.close();
    }
  });

  it('renders a policy of several named limits, costs and operation policies, and one meter per limit', async (context) => {
    if (chromiumMissing) return context.skip(chromiumMissing);
    mock = await startMockServer({ profile: 'reconlayer', env: {}, control: true });
    // The policy model is growing several limits per request (an LLM API's requests and tokens): the page
    // reads /policy and /budgets as data, so it is shown the shape to come.
    const key = { by: 'header', header: 'x-api-key', principal: 'project', fallback: 'ip' };
    const rejection = { status: 429, contentType: 'application/json', body: {}, retryAfter: true };
    const policy = {
      limits: [
        { name: 'requests', limit: 60, windowMs: 60_000, algorithm: 'token-bucket', key, cost: 1, unit: 'requests', bucket: 'shared', report: true, rejection },
        {
          name: 'tokens',
          limit: 90_000,
          windowMs: 60_000,
          algorithm: 'token-bucket',
          key,
          cost: { from: 'body', name: 'max_tokens', default: 16 },
          unit: 'tokens',
          bucket: 'shared',
          report: true,
          rejection,
        },
      ],
      operations: [
        {
          method: 'POST',
          path: '/v1/embeddings',
          pointer: '/paths/~1v1~1embeddings/post/x-rate-limit',
          inherit: true,
          limits: [{ name: 'embeddings', limit: 10 }],
        },
      ],
      include: ['/v1/**'],
      exempt: ['/health'],
      headers: { style: 'named', names: { limit: 'x-ratelimit-limit-requests', remaining: 'x-ratelimit-remaining-requests' }, resetFormat: 'duration' },
      env: {},
      stacking: 'atomic',
      rejection,
    };
    const limits = [
      { name: 'requests', bucket: 'requests', limit: 60, remaining: 59, resetSeconds: 1 },
      { name: 'tokens', bucket: 'tokens', limit: 90_000, remaining: 89_000, resetSeconds: 40 },
    ];
    const budgets = { budgets: [{ key: 'project:proj_a', limit: 60, remaining: 59, resetSeconds: 1, limits }] };
    const page = await (browser as ChromiumSession).newPage({ width: 1100, height: 900 });
    try {
      await page.route('**/__ratelimit/policy', (route) => route.fulfill({ json: policy }));
      await page.route('**/__ratelimit/budgets', (route) => route.fulfill({ json: budgets }));
      await page.goto(`${mock.url}/__ratelimit/ui`);
      await live(page);
      const dl = page.locator('dl.policy');
      await dl.getByText('requests: 60 requests per 1 minute (token-bucket)', { exact: true }).waitFor(WAIT);
      expect(await dl.getByText('tokens: 90000 tokens per 1 minute (token-bucket), cost from the body field max_tokens (default 16)').isVisible()).toBe(true);
      expect(await dl.getByText('POST /v1/embeddings: limits embeddings').isVisible()).toBe(true);
      expect(await dl.getByText('project (x-api-key), else client IP').isVisible()).toBe(true);
      expect(await dl.getByText('x-ratelimit-limit-requests, x-ratelimit-remaining-requests').isVisible()).toBe(true);
      const card = keyCard(page, 'project:proj_a');
      expect(await card.getByText('requests: 59 of 60 left').isVisible()).toBe(true);
      expect(await card.getByText('tokens: 89000 of 90000 left').isVisible()).toBe(true);
      const tokens = card.getByRole('meter', { name: 'Remaining budget of project:proj_a (tokens)' });
      expect([await tokens.getAttribute('value'), await tokens.getAttribute('max')]).toEqual(['89000', '90000']);
      expect(await card.getByRole('meter').count()).toBe(2);
    } finally {
      await page.close();
    }
  });

  it('fits a 360 px screen without sideways scrolling, in light and dark', async (context) => {
    if (chromiumMissing) return context.skip(chromiumMissing);
    mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 3, control: true });
    for (let i = 0; i < 4; i += 1) await send();
    await send('/v1/payment-intents/pi_a_rather_long_identifier_that_would_widen_a_careless_layout_0123456789');
    const backgrounds: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page } = await openDashboard({ width: 360, height: 740, colorScheme });
      try {
        await live(page);
        await keyCard(page, ACME_KEY).getByText('0 of 3 left').waitFor(WAIT);
        expect(await scrollsSideways(page), colorScheme).toBe(false);
        backgrounds.push(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor'));
        await saveScreenshot(page, `dashboard-360-${colorScheme}`, { fullPage: true });
      } finally {
        await page.close();
      }
    }
    expect(backgrounds).toEqual(['rgb(255, 255, 255)', 'rgb(13, 17, 23)']);
  });

  it('in token mode takes the token from #token=…, sends it as a header only, and asks for it when it is missing', async (context) => {
    if (chromiumMissing) return context.skip(chromiumMissing);
    mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 3, controlToken: TOKEN });
    const { page, requested, calls } = await openDashboard({}, `#token=${TOKEN}`);
    const tokenHeaders: Array<string | undefined> = [];
    page.on('request', (request) => tokenHeaders.push(request.headers()['x-ratelimit-control-token']));
    try {
      await live(page);
      expect(page.url()).toBe(`${mock.url}/__ratelimit/ui`);
      await send();
      await keyCard(page, ACME_KEY).getByText('2 of 3 left').waitFor(WAIT);
      expect(requested.some((url) => url.includes(TOKEN))).toBe(false);
      expect(tokenHeaders.length).toBeGreaterThan(0);
      expect(tokenHeaders.every((header) => header === TOKEN)).toBe(true);
      await expectSameOriginJsonCalls(calls, new URL(mock.url).origin);
    } finally {
      await page.close();
    }
    // A new tab has no token: the page says so and asks for it; pasted, it goes live.
    const second = await openDashboard();
    try {
      await second.page.getByText('This mock requires a control token').waitFor(WAIT);
      await second.page.getByLabel('Token', { exact: true }).fill(TOKEN);
      await second.page.getByRole('button', { name: 'Use token' }).click();
      await live(second.page);
      await keyCard(second.page, ACME_KEY).getByText('2 of 3 left').waitFor(WAIT);
    } finally {
      await second.page.close();
    }
  });

  it('cannot be framed, read or driven by a page of another site', async (context) => {
    if (chromiumMissing) return context.skip(chromiumMissing);
    mock = await startMockServer({ profile: 'reconlayer', env: {}, limit: 3, control: true });
    mock.clock.freeze();
    const frozenAt = mock.clock.now();
    const target = mock.url;
    // The attacker's page is served from http://localhost:<port>: another site than http://127.0.0.1.
    const attack = `<!doctype html><title>elsewhere</title><iframe id="f" src="${target}/__ratelimit/ui"></iframe><script>
      const results = {};
      const attempt = async (name, run) => { try { await run(); results[name] = 'done'; } catch (error) { results[name] = 'blocked'; } };
      window.done = (async () => {
        await attempt('advance', () => fetch('${target}/__ratelimit/clock/advance', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ms":3600000}' }));
        await attempt('reset', () => fetch('${target}/__ratelimit/budgets', { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: '{}' }));
        await attempt('fault', () => fetch('${target}/__ratelimit/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"server-error","times":1000}' }));
        await attempt('read budgets', async () => (await fetch('${target}/__ratelimit/budgets')).json());
        await attempt('read stream', async () => (await fetch('${target}/__ratelimit/events')).body.getReader().read());
        return results;
      })();
    </script>`;
    const site = await startSite(attack);
    const page = await (browser as ChromiumSession).newPage();
    try {
      for (let i = 0; i < 4; i += 1) await send();
      await page.goto(`http://localhost:${site.port}/`);
      const results = await page.evaluate<Record<string, string>>('window.done');
      expect(results).toEqual({ advance: 'blocked', reset: 'blocked', fault: 'blocked', 'read budgets': 'blocked', 'read stream': 'blocked' });
      // The frame shows Chromium's error page, not the dashboard.
      const frame = page.frames().find((f) => f !== page.mainFrame());
      expect(await frame?.locator('h1', { hasText: 'Rate-limit dashboard' }).count()).toBe(0);
      // Nothing moved: the clock, the spent budget, the scripts.
      expect(mock.clock.now()).toBe(frozenAt);
      expect((await send()).status).toBe(429);
      expect((await rawRequest(target, { path: '/__ratelimit/faults' })).json).toEqual({ faults: [] });
    } finally {
      await page.close();
      await site.close();
    }
  });
});

/** Serves one HTML page on localhost, port 0. */
async function startSite(html: string): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
