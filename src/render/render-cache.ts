import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { readBoundedFileSync } from '../openapi/read-bounded-file.js';
import type { ResponseCatalog } from './response-catalog.js';

const PRISM_VERSION = (createRequire(import.meta.url)('@stoplight/prism-http/package.json') as { version: string }).version;
/** Bumped when the catalog's shape or the way it is rendered changes. */
const CATALOG_FORMAT = 3;

/**
 * The per-user cache of rendered catalogs: `$XDG_CACHE_HOME/ratelimit-contract`, or
 * `~/.cache/ratelimit-contract` (XDG Base Directory: a relative XDG_CACHE_HOME is ignored).
 */
export function renderCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'ratelimit-contract');
}

const ownedByMe = (uid: number) => typeof process.getuid !== 'function' || uid === process.getuid();

/**
 * Creates the cache directory with mode 0700 and checks it is a real directory of this user that no
 * one else can write (else another local user could plant catalogs); undefined when it cannot be used,
 * which only costs a render.
 */
function privateCacheDir(): string | undefined {
  const dir = renderCacheDir();
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || !ownedByMe(stat.uid)) return undefined;
    if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
    return dir;
  } catch {
    return undefined;
  }
}

/** The cache file of a fingerprint (the spec and everything it references), for this Prism and format. */
const cacheFileName = (fingerprint: string) => `${createHash('sha256').update(`${fingerprint}\n${PRISM_VERSION}\n${CATALOG_FORMAT}`).digest('hex')}.json`;

/** Reads a catalog file when it is a regular file (of this user, in the cache) rendered from `fingerprint`. */
export function readCatalogFile(file: string, fingerprint: string, mustBeMine = false): ResponseCatalog | undefined {
  try {
    if (mustBeMine) {
      const stat = lstatSync(file);
      if (!stat.isFile() || !ownedByMe(stat.uid)) return undefined;
    }
    const catalog = JSON.parse(readBoundedFileSync(file, 256 * 1024 * 1024)) as ResponseCatalog;
    return catalog.specSha256 === fingerprint && Array.isArray(catalog.operations) ? catalog : undefined;
  } catch {
    return undefined;
  }
}

/** The cached catalog for a fingerprint, if this user's cache holds one. */
export function readCachedCatalog(fingerprint: string): ResponseCatalog | undefined {
  const dir = privateCacheDir();
  return dir === undefined ? undefined : readCatalogFile(join(dir, cacheFileName(fingerprint)), fingerprint, true);
}

/** Keeps a catalog for the next start: written to a private temporary file (0600), then renamed into place. */
export function writeCachedCatalog(catalog: ResponseCatalog): void {
  const dir = privateCacheDir();
  if (dir === undefined) return;
  const file = join(dir, cacheFileName(catalog.specSha256));
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify(catalog), { mode: 0o600, flag: 'wx' });
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
    // A read-only or full cache only costs the next start a re-render.
  }
}
