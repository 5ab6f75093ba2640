import { readFileSync, statSync } from 'node:fs';
import type { RecordedAttempt } from '../client/attempt.js';
import { usageError } from './cli-error.js';

/** An attempt log as check-log judges it, and where it came from. */
export interface AttemptLogSource {
  /** The file, or the URL read. */
  source: string;
  attempts: RecordedAttempt[];
  /** `real` for a log the live mock took on its running clock; absent when the log does not say. */
  clock: 'real' | 'virtual' | undefined;
}

const MAX_LOG_BYTES = 64 * 1024 * 1024;

type Fields = Record<string, unknown>;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Reads attempts from parsed JSON: an array of attempts, or `{ attempts: [...] }` (what
 * `GET /__ratelimit/attempts` answers). Each needs `atMs`, `method`, `path` and `status`; `seq` defaults to
 * the position, `respondedAtMs` to `atMs`, `headers` to none, so a log written by hand or by a client in
 * another language is read too. A bad entry is named by its JSON pointer.
 */
export function attemptsFromJson(json: unknown, source: string): Omit<AttemptLogSource, 'source'> {
  const wrapped = json !== null && typeof json === 'object' && !Array.isArray(json);
  const list = wrapped ? (json as Fields).attempts : json;
  const base = wrapped ? '/attempts' : '';
  if (!Array.isArray(list)) {
    throw usageError(
      `Failed to read the attempt log ${source}: it is neither a JSON array of attempts nor an object with an "attempts" array. Save what GET /__ratelimit/attempts answers, or pass the mock's URL.`,
    );
  }
  const attempts = list.map((entry, i): RecordedAttempt => {
    const at = `${base}/${i}`;
    const fail = (what: string) => {
      throw usageError(`Failed to read the attempt log ${source}: ${at}${what}. Each attempt needs atMs (ms), method, path and status.`);
    };
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return fail(' is not an object');
    const a = entry as Fields;
    if (!isNumber(a.atMs)) fail('/atMs is not a number of milliseconds');
    if (typeof a.method !== 'string' || a.method === '') fail('/method is not a method name');
    if (typeof a.path !== 'string' || !a.path.startsWith('/')) fail('/path is not a path that starts with "/"');
    if (!Number.isInteger(a.status) || (a.status as number) < 100 || (a.status as number) > 599) fail('/status is not an HTTP status');
    if (a.respondedAtMs !== undefined && !isNumber(a.respondedAtMs)) fail('/respondedAtMs is not a number of milliseconds');
    if (a.seq !== undefined && !Number.isInteger(a.seq)) fail('/seq is not a whole number');
    if (a.headers !== undefined && (a.headers === null || typeof a.headers !== 'object' || Array.isArray(a.headers))) fail('/headers is not an object');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries((a.headers ?? {}) as Fields)) if (typeof value === 'string') headers[name.toLowerCase()] = value;
    return {
      ...(a as unknown as RecordedAttempt),
      seq: (a.seq as number | undefined) ?? i + 1,
      respondedAtMs: (a.respondedAtMs as number | undefined) ?? (a.atMs as number),
      url: typeof a.url === 'string' ? a.url : (a.path as string),
      method: (a.method as string).toUpperCase(),
      headers,
    };
  });
  const clock =
    wrapped && ((json as Fields).clock === 'real' || (json as Fields).clock === 'virtual') ? ((json as Fields).clock as 'real' | 'virtual') : undefined;
  return { attempts, clock };
}

function readFile(file: string): AttemptLogSource {
  let text: string;
  try {
    if (statSync(file).size > MAX_LOG_BYTES) throw usageError(`Failed to read the attempt log ${file}: it is larger than 64 MiB.`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_RLC_USAGE') throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(
      `Failed to read the attempt log ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? (error as Error).message)}. Pass a JSON file (as GET /__ratelimit/attempts answers) or the mock's URL.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw usageError(`Failed to read the attempt log ${file}: it is not JSON (${(error as Error).message}).`);
  }
  return { source: file, ...attemptsFromJson(json, file) };
}

/** The attempts endpoint of a mock URL: its origin's /__ratelimit/attempts, unless the URL already names it (or a key under it). */
export function attemptsUrl(url: URL): URL {
  if (url.pathname === '/__ratelimit/attempts' || url.pathname.startsWith('/__ratelimit/attempts/')) return url;
  return new URL('/__ratelimit/attempts', url);
}

async function readUrl(given: URL, key: string | undefined, token: string | undefined): Promise<AttemptLogSource> {
  const url = attemptsUrl(given);
  if (key !== undefined) url.pathname = `/__ratelimit/attempts/${encodeURIComponent(key)}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: token ? { 'x-ratelimit-control-token': token } : {}, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw usageError(
      `Failed to read the attempt log from ${url.href}: ${cause === 'ECONNREFUSED' ? 'nothing listens there' : cause}. Start the mock with --control (ratelimit-contract mock --control) and pass its URL.`,
    );
  }
  const text = await response.text();
  if (response.status === 403) {
    throw usageError(
      `Failed to read the attempt log from ${url.href}: the control API refused it (403). Pass the mock's --control-token with --control-token, or call from this machine.`,
    );
  }
  if (response.status === 404) {
    throw usageError(
      `Failed to read the attempt log from ${url.href}: 404. Is it a ratelimit-contract mock started with --control? Without it the control API is off.`,
    );
  }
  if (!response.ok) throw usageError(`Failed to read the attempt log from ${url.href}: HTTP ${response.status}.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw usageError(`Failed to read the attempt log from ${url.href}: the answer is not JSON. Is it a ratelimit-contract mock?`);
  }
  return { source: url.href, ...attemptsFromJson(json, url.href) };
}

/** Reads an attempt log from a JSON file or a running mock's URL (http: or https:). */
export async function readAttemptLog(where: string, options: { key?: string; token?: string } = {}): Promise<AttemptLogSource> {
  if (/^https?:\/\//i.test(where)) {
    let url: URL;
    try {
      url = new URL(where);
    } catch {
      throw usageError(`Failed to read the attempt log from ${where}: it is not a URL. Pass e.g. http://127.0.0.1:3001.`);
    }
    return readUrl(url, options.key, options.token);
  }
  const log = readFile(where);
  if (options.key === undefined) return log;
  return { ...log, attempts: log.attempts.filter((a) => a.key === options.key) };
}
