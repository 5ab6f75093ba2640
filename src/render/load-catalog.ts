import type { LoadedSpec } from '../openapi/load-spec.js';
import { resolveSpecRefs } from '../openapi/spec-refs.js';
import { checkCatalogHeaders, checkSpecHeaderValues } from './check-catalog-headers.js';
import { readCachedCatalog, readCatalogFile, writeCachedCatalog } from './render-cache.js';
import { renderWithPrism } from './render-with-prism.js';
import type { ResponseCatalog } from './response-catalog.js';

export { renderCacheDir } from './render-cache.js';

/**
 * The catalog for a spec: the shipped fixture (`mocks/<profile>.responses.json`) or this user's cache
 * when it was rendered from the same spec and the same referenced documents (their fingerprint);
 * otherwise Prism renders it and the cache keeps it for the next start. References are read under the
 * spec's ref policy (spec-refs.ts). Header values that could not be written are refused here, at load.
 */
export async function loadCatalog(spec: LoadedSpec, fixture?: string): Promise<{ catalog: ResponseCatalog; from: 'fixture' | 'cache' | 'prism' }> {
  const resolved = await resolveSpecRefs(spec);
  const fromFixture = fixture ? readCatalogFile(fixture, resolved.fingerprint) : undefined;
  const stored = fromFixture ? { catalog: fromFixture, from: 'fixture' as const } : cachedResult(resolved.fingerprint);
  if (stored) {
    checkCatalogHeaders(stored.catalog, resolved);
    return stored;
  }
  // The spec's own header values are scanned only before a render: a cached catalog was rendered from
  // the same texts (the fingerprint), which passed this scan then.
  checkSpecHeaderValues(resolved);
  const catalog = await renderWithPrism(resolved);
  checkCatalogHeaders(catalog, resolved);
  writeCachedCatalog(catalog);
  return { catalog, from: 'prism' };
}

function cachedResult(fingerprint: string): { catalog: ResponseCatalog; from: 'cache' } | undefined {
  const catalog = readCachedCatalog(fingerprint);
  return catalog ? { catalog, from: 'cache' } : undefined;
}
