import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConformanceReport, formatHtmlReport, runConformance } from '../src/conformance/index.js';
import { startMockServer } from '../src/mock/index.js';
import { ARTIFACTS_DIR, type ChromiumSession, chromiumMissing, launchChromium, saveScreenshot, scrollsSideways } from './support/browser.js';

// The HTML report of a failing run, opened from disk in Debian's Chromium: the failed check, its chart and
// the chart's accessible name; no sideways scroll at 360 px; dark mode; and a hostile server's answers
// shown as text, never run. Screenshots go to test-artifacts/ (gitignored).

const HOSTILE = `<script>window.pwned=1</script><img src=x onerror="window.pwned=2">`;
const FAILED_ID = 'reconlayer/429-after-exactly-max';

/** Pretends to be the mock (a virtual clock, so nothing waits), and answers every request with markup. */
async function startHostileServer(): Promise<{ url: string; close(): Promise<void> }> {
  let now = 1_000;
  const json = (res: ServerResponse, body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk;
    });
    req.on('end', () => {
      if (req.url === '/__ratelimit/clock') return json(res, { now, mode: 'virtual' });
      if (req.url === '/__ratelimit/budgets') return json(res, {});
      if (req.url === '/__ratelimit/clock/advance') {
        now += Number((JSON.parse(body) as { ms: number }).ms);
        return json(res, { now, mode: 'virtual' });
      }
      res
        .writeHead(429, {
          'x-ratelimit-limit': HOSTILE,
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': HOSTILE,
          'retry-after': HOSTILE,
          'content-type': 'text/html',
        })
        .end(`</pre></details>${HOSTILE}<!--`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function writeReport(name: string, report: ConformanceReport): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, name);
  writeFileSync(file, formatHtmlReport(report));
  return file;
}

let failing: ConformanceReport;
let hostile: ConformanceReport;
let failingFile: string;
let hostileFile: string;
let browser: ChromiumSession | undefined;

beforeAll(async () => {
  // The mock runs with 4 per window, and the suite is told 5: a failing run, on the mock's virtual clock.
  const mock = await startMockServer({ profile: 'reconlayer', control: true, env: {}, limit: 4, window: '2s' });
  try {
    failing = await runConformance({ profile: 'reconlayer', target: mock.url, limit: 5, window: '2s' });
  } finally {
    await mock.close();
  }
  const server = await startHostileServer();
  try {
    hostile = await runConformance({ profile: 'reconlayer', target: server.url, limit: 3, window: '1s' });
  } finally {
    await server.close();
  }
  failingFile = writeReport('verify-report-failing.html', failing);
  hostileFile = writeReport('verify-report-hostile.html', hostile);
  if (!chromiumMissing) browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Opens a report from disk and collects every request the page makes besides its own file. */
async function open(file: string, options: Parameters<ChromiumSession['newPage']>[0] = {}): Promise<{ page: Page; fetched: string[] }> {
  const page = await (browser as ChromiumSession).newPage(options);
  const url = pathToFileURL(file).href;
  const fetched: string[] = [];
  page.on('request', (request) => {
    if (request.url() !== url) fetched.push(request.url());
  });
  await page.goto(url);
  return { page, fetched };
}

describe('the run behind the report', () => {
  it("records the failed check's requests, the 429s among them, through the policy's header names", () => {
    const result = failing.results.find((r) => r.id === FAILED_ID);
    expect(result?.status).toBe('failed');
    const items = result?.exchanges?.items ?? [];
    expect(items.some((i) => i.rejected && i.status === 429 && i.remaining === 0 && i.rateLimitHeaders['retry-after'] !== undefined)).toBe(true);
    expect(items.every((i) => i.headers.authorization === undefined || i.headers.authorization.endsWith('…'))).toBe(true);
    expect(hostile.summary.failed).toBeGreaterThan(0);
  });
});

describe('the HTML report in Chromium', { timeout: 60_000 }, () => {
  it('opens from disk, and shows the failed check with its chart, named for assistive technology', async (context) => {
    if (chromiumMissing) return context.skip(chromiumMissing);
    const { page, fetched } = await open(failingFile, { width: 760 });
    try {
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Rate-limit conformance: reconlayer');
      await page
        .getByRole('list', { name: 'Needs attention' })
        .getByRole('link', { name: new RegExp(FAILED_ID) })
        .click();
      expect(page.url()).toMatch(/#check-\d+-reconlayer-429-after-exactly-max$/);
      const check = page.getByRole('article', { name: `✗ failed ${FAILED_ID}` });
      expect(await check.isVisible()).toBe(true);
      expect(await check.getByText(/That is off by one/).isVisible()).toBe(true);
      // The chart's name is its <title> and <desc>: what it shows, and where the 429s are.
      const chart = check.getByRole('img', { name: new RegExp(`^Remaining budget over time: ${FAILED_ID} .*rejected with 429: requests? \\d`) });
      expect(await chart.isVisible()).toBe(true);
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(200);
      // One cross per 429 in the request table (the chart and the table tell the same story).
      const crosses = ((await chart.locator('path.reject').getAttribute('d')) ?? '').split('M').length - 1;
      const table = check.getByRole('table', { name: new RegExp(`^Requests of ${FAILED_ID}`) });
      expect(await table.isVisible()).toBe(true);
      expect(crosses).toBeGreaterThan(0);
      expect(await table.locator('tr.rejected').count()).toBe(crosses);
      expect(await page.getByRole('article', { name: /! blocked/ }).count()).toBe(failing.summary.blocked);
      expect(fetched).toEqual([]);
      await saveScreenshot(page, 'verify-report-desktop-light', { fullPage: true });
      await saveScreenshot(check, 'verify-report-failed-check');
      // docs/images/verify-report.png is this one: the failed check down to its chart.
      const article = await check.boundingBox();
      const figure = await check.getByRole('figure').boundingBox();
      // Boxes are relative to the viewport, a full-page clip to the page.
      const scrollY = await page.evaluate<number>('window.scrollY');
      if (article && figure)
        await saveScreenshot(page, 'verify-report-readme', {
          clip: { x: article.x - 8, y: scrollY + article.y - 8, width: article.width + 16, height: figure.y + figure.height - article.y + 16 },
        });
    } finally {
      await page.close();
    }
  });

  it('fits a 360 px screen without sideways scrolling, in light and dark', async (context) => {
    if (chromiumMissing) return context.skip(chromiumMissing);
    const backgrounds: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page } = await open(failingFile, { width: 360, height: 740, colorScheme });
      try {
        expect(await scrollsSideways(page), colorScheme).toBe(false);
        backgrounds.push(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor'));
        const chart = page.getByRole('img', { name: new RegExp(`^Remaining budget over time: ${FAILED_ID}`) });
        await chart.scrollIntoViewIfNeeded();
        const box = await chart.boundingBox();
        expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(360);
        await saveScreenshot(page, `verify-report-360-${colorScheme}`);
      } finally {
        await page.close();
      }
    }
    expect(backgrounds).toEqual(['rgb(255, 255, 255)', 'rgb(13, 17, 23)']);
  });

  it("shows a hostile server's markup as text and runs none of it", async (context) => {
    if (chromiumMissing) return context.skip(chromiumMissing);
    const { page, fetched } = await open(hostileFile);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    try {
      expect(await page.evaluate<string>('typeof window.pwned')).toBe('undefined');
      expect(await page.evaluate<number>("document.querySelectorAll('script, img, iframe, object, embed').length")).toBe(0);
      expect(await page.getByText(HOSTILE).first().isVisible()).toBe(true);
      expect(dialogs).toEqual([]);
      expect(fetched).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
