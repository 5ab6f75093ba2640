import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';

// Real-browser tests drive Debian's Chromium headless through playwright-core: never a downloaded browser.
// Each launch gets a fresh, empty profile under the system temp folder, removed when the browser closes.

/** Debian's Chromium (CI installs it with apt-get). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that work on a container without a GPU, a sandbox or network access beyond loopback. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why browser tests cannot run on this machine (one line, for `context.skip`), or undefined when they can. */
export const chromiumMissing: string | undefined = existsSync(CHROMIUM_PATH)
  ? undefined
  : `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium): browser tests skipped`;

/** Where tests save screenshots (gitignored); CI can upload it. */
export const ARTIFACTS_DIR = join(import.meta.dirname, '..', '..', 'test-artifacts');

/** Viewport and colour scheme of a page. */
export interface PageOptions {
  width?: number;
  height?: number;
  colorScheme?: 'light' | 'dark';
}

/** A running headless Chromium with its own profile. */
export interface ChromiumSession {
  readonly context: BrowserContext;
  /** A new tab with the given viewport (default 1024 × 768) and colour scheme (default light). */
  newPage(options?: PageOptions): Promise<Page>;
  /** Closes the browser and removes its profile folder. */
  close(): Promise<void>;
}

/** Launches Debian's Chromium headless (the caller checks `chromiumMissing` first). */
export async function launchChromium(): Promise<ChromiumSession> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'rlc-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      chromiumSandbox: false,
      args: CHROMIUM_FLAGS,
      timeout: 30_000,
      viewport: { width: 1024, height: 768 },
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  // A persistent context opens with one blank tab; tests open their own.
  for (const page of context.pages()) await page.close();
  let closed = false;
  return {
    context,
    async newPage({ width = 1024, height = 768, colorScheme = 'light' } = {}) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      return page;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}

/** Saves a PNG screenshot of a page or an element under test-artifacts/ and returns its path. */
export async function saveScreenshot(
  target: Page | Locator,
  name: string,
  options: { fullPage?: boolean; clip?: { x: number; y: number; width: number; height: number } } = {},
): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, name.endsWith('.png') ? name : `${name}.png`);
  if ('goto' in target) await target.screenshot({ path, fullPage: options.fullPage ?? options.clip !== undefined, clip: options.clip });
  else await target.screenshot({ path });
  return path;
}

/** True when the page scrolls sideways (content wider than the viewport). */
export const scrollsSideways = (page: Page): Promise<boolean> =>
  // A string runs in the page: this project compiles without the DOM library.
  page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth');
