import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSpec, renderWithPrism } from './render-with-prism.js';
import type { ResponseCatalog } from './response-catalog.js';

/** The per-user cache of catalogs for specs other than the shipped ones. */
export function renderCacheDir(): string {
  const local = join(process.cwd(), 'node_modules');
  return existsSync(local) ? join(local, '.cache', 'ratelimit-contract') : join(tmpdir(), 'ratelimit-contract-cache');
}

function readCatalog(file: string, sha: string): ResponseCatalog | undefined {
  try {
    const catalog = JSON.parse(readFileSync(file, 'utf8')) as ResponseCatalog;
    return catalog.specSha256 === sha ? catalog : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The catalog for a spec: the shipped fixture (`mocks/<profile>.responses.json`) or the cache when its
 * hash matches the spec text; otherwise Prism renders it and the cache keeps it for the next start.
 */
export async function loadCatalog(
  specFile: string,
  specText: string,
  fixture?: string,
): Promise<{ catalog: ResponseCatalog; from: 'fixture' | 'cache' | 'prism' }> {
  const sha = hashSpec(specText);
  const fromFixture = fixture ? readCatalog(fixture, sha) : undefined;
  if (fromFixture) return { catalog: fromFixture, from: 'fixture' };
  const cacheFile = join(renderCacheDir(), `${sha}.json`);
  const cached = readCatalog(cacheFile, sha);
  if (cached) return { catalog: cached, from: 'cache' };
  const catalog = await renderWithPrism(specFile, specText);
  try {
    mkdirSync(renderCacheDir(), { recursive: true });
    writeFileSync(cacheFile, JSON.stringify(catalog));
  } catch {
    // A read-only cache only costs the next start a re-render.
  }
  return { catalog, from: 'prism' };
}
