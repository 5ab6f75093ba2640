import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { rolldown } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiDefinition } from '../src/msw/index.js';

// The MSW helper in a real browser: Debian's headless Chromium, driven by playwright-core, loads a page
// whose fetch calls go through msw's service worker (setupWorker) to the same engine as everywhere else,
// and meet a 429 after the limit. The page is bundled from test/browser/msw-page.ts for the browser, so a
// node module slipping into the browser entry fails the bundle.
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const require = createRequire(import.meta.url);

async function bundlePage(): Promise<string> {
  const bundle = await rolldown({ input: join(import.meta.dirname, 'browser', 'msw-page.ts'), platform: 'browser', logLevel: 'warn' });
  const { output } = await bundle.generate({ format: 'esm' });
  await bundle.close();
  return output[0].code;
}

function serve(files: Record<string, [string, string]>): Promise<Server> {
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Every module a source file loads, following relative imports (type-only imports are erased: skipped). */
function importsOf(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const match of readFileSync(file, 'utf8').matchAll(/^(?:import|export)(?! type)[^'"]*from\s+'([^']+)'/gm)) {
    const spec = match[1] ?? '';
    if (spec.startsWith('.')) importsOf(join(dirname(file), spec.replace(/\.js$/, '.ts')), seen);
    else seen.add(spec);
  }
  return seen;
}

describe('the browser entry of ratelimit-contract/msw', () => {
  it('loads no node module, nor nock or vitest; the node entry adds only the file loaders', () => {
    const root = join(import.meta.dirname, '..');
    const browser = [...importsOf(join(root, 'src/msw/browser.ts'))].filter((spec) => !spec.startsWith('/'));
    // structured-headers writes the IETF RateLimit fields: a runtime dependency with no node module in it.
    expect(browser.sort()).toEqual(['msw', 'structured-headers']);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, unknown>> };
    // `browser` comes before the node conditions (module-sync, and require for Jest's CommonJS loader).
    expect(pkg.exports['./msw']).toEqual({
      browser: { types: './dist/msw/index.d.ts', default: './dist/msw/browser.js' },
      'module-sync': './dist/msw/index.js',
      require: { types: './dist/cjs/msw.d.cts', default: './dist/cjs/msw.cjs' },
      default: { types: './dist/msw/index.d.ts', default: './dist/msw/index.js' },
    });
    expect(Object.keys(pkg.exports['./msw'] ?? {})).toEqual(['browser', 'module-sync', 'require', 'default']);
  });
});

describe.skipIf(!existsSync(CHROMIUM))('MSW helper in headless Chromium (setupWorker)', () => {
  let browser: BrowserContext;
  let server: Server;
  let profileDir: string;
  beforeAll(async () => {
    const page = await bundlePage();
    server = await serve({
      '/': ['text/html', '<!doctype html><meta charset="utf-8"><title>msw</title><script type="module" src="/page.js"></script>'],
      '/page.js': ['text/javascript', page],
      '/mockServiceWorker.js': ['text/javascript', readFileSync(require.resolve('msw/mockServiceWorker.js'), 'utf8')],
    });
    profileDir = mkdtempSync(join(tmpdir(), 'rlc-chromium-'));
    // A new, empty profile directory (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it('a page meets the 429 after the limit, with the policy headers and body; exempt and scripted answers too', async () => {
    const definition = await loadApiDefinition({ profile: 'reconlayer', limit: 3 });
    const page = await browser.newPage();
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => 'runScenario' in globalThis);
    const result = await page.evaluate((d) => (globalThis as unknown as { runScenario(d: unknown): Promise<unknown> }).runScenario(d), definition);
    expect(result).toEqual({
      limited: [
        { status: 200, limit: '3', remaining: '2', retryAfter: null, body: expect.objectContaining({ total: 1, data: expect.any(Array) }) },
        { status: 200, limit: '3', remaining: '1', retryAfter: null, body: expect.objectContaining({ total: 1, data: expect.any(Array) }) },
        { status: 200, limit: '3', remaining: '0', retryAfter: null, body: expect.objectContaining({ total: 1, data: expect.any(Array) }) },
        {
          status: 429,
          limit: '3',
          remaining: '0',
          retryAfter: '60',
          body: { statusCode: 429, error: 'Too Many Requests', message: 'Rate limit exceeded, retry in 1 minute' },
        },
      ],
      exempt: { status: 200, limit: null, remaining: null, retryAfter: null, body: expect.anything() },
      scripted: {
        status: 503,
        limit: '3',
        remaining: '2',
        retryAfter: null,
        body: { statusCode: 503, error: 'Service Unavailable', message: 'Scripted fault' },
      },
      attempts: [
        { status: 200, key: 'organization:org_acme', scope: 'limited', remaining: 2 },
        { status: 200, key: 'organization:org_acme', scope: 'limited', remaining: 1 },
        { status: 200, key: 'organization:org_acme', scope: 'limited', remaining: 0 },
        { status: 429, key: 'organization:org_acme', scope: 'limited', remaining: 0 },
        { status: 200, key: undefined, scope: 'exempt', remaining: undefined },
        { status: 503, key: 'organization:org_globex', scope: 'limited', remaining: 2 },
      ],
      controlled: true,
    });
    await page.close();
  });
});
