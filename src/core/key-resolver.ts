import type { KeyRule } from './policy.js';

/** Headers as node:http gives them: lower-case names; duplicates arrive joined or as arrays. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/** A credential → principal index, built from the credentials file (header value → principal id). */
export type PrincipalIndex = ReadonlyMap<string, string>;

/** Longest header value that can name a key; longer values are treated as absent (deterministic, never unlimited). */
export const MAX_KEY_VALUE_LENGTH = 256;

export interface KeyResolverOptions {
  /** Principal ids by credential value (the scheme stripped), for `by: principal` and to validate `by: header`. */
  principals?: PrincipalIndex;
  /** Take the client IP from X-Forwarded-For (left-most) instead of the socket. Off by default. */
  trustProxy?: boolean;
}

function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value.join(', ') : value;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  return trimmed === '' || trimmed.length > MAX_KEY_VALUE_LENGTH ? undefined : trimmed;
}

/** The credential after `<scheme> ` (scheme case-insensitive), or undefined when it has another scheme. */
function stripScheme(value: string, scheme: string | undefined): string | undefined {
  if (!scheme) return value;
  const n = scheme.length;
  if (value.length <= n || value.charCodeAt(n) !== 32) return undefined;
  if (!value.startsWith(scheme) && value.slice(0, n).toLowerCase() !== scheme.toLowerCase()) return undefined;
  return value.slice(n + 1).trim() || undefined;
}

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;
const IP_TEXT = /^[0-9a-fA-F:.]{2,45}$/;

/** Normalizes an IP so that one client has one key (`::ffff:1.2.3.4` and `1.2.3.4` are the same). */
export function normalizeIp(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = IPV4_MAPPED.exec(ip);
  return (mapped?.[1] ?? ip).toLowerCase();
}

/** The client IP: the socket's, or with trustProxy the left-most valid X-Forwarded-For entry. */
export function clientIp(headers: RequestHeaders, socketIp: string | undefined, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = headerValue(headers, 'x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded && IP_TEXT.test(forwarded)) return normalizeIp(forwarded);
  }
  return normalizeIp(socketIp);
}

/**
 * Builds the function that names a request's budget. Keys read `<principal>:<id>` or `ip:<address>`.
 * A credential that does not resolve (missing, empty, oversized, unknown) falls back to the IP, so no
 * header value can mint a fresh budget.
 */
export function createKeyResolver(rule: KeyRule, options: KeyResolverOptions = {}) {
  const trustProxy = options.trustProxy ?? false;
  const principals = options.principals;
  const byIp = (headers: RequestHeaders, socketIp: string | undefined) => `ip:${clientIp(headers, socketIp, trustProxy)}`;
  if (rule.by === 'ip') return byIp;
  // Budget keys of known credentials are built once, so resolving a known credential allocates nothing.
  const known = [...(principals ?? [])];
  if (rule.by === 'header') {
    const keyByValue = new Map(known.map(([value]) => [value, `${rule.principal}:${value}`]));
    return (headers: RequestHeaders, socketIp: string | undefined): string => {
      const value = headerValue(headers, rule.header);
      if (value === undefined) return byIp(headers, socketIp);
      if (principals === undefined) return `${rule.principal}:${value}`;
      return keyByValue.get(value) ?? byIp(headers, socketIp);
    };
  }
  const keyByToken = new Map(known.map(([token, id]) => [token, `${rule.principal}:${id}`]));
  // The exact spelling clients send (`Bearer <token>`) is looked up as it arrives, before any trimming.
  const keyBySpelling = new Map(
    known
      .map(([token, id]) => [rule.scheme ? `${rule.scheme} ${token}` : token, `${rule.principal}:${id}`] as const)
      .filter(([spelling]) => spelling.length <= MAX_KEY_VALUE_LENGTH),
  );
  return (headers: RequestHeaders, socketIp: string | undefined): string => {
    const sent = headers[rule.header];
    const exact = typeof sent === 'string' ? keyBySpelling.get(sent) : undefined;
    if (exact !== undefined) return exact;
    const raw = headerValue(headers, rule.header);
    const token = raw === undefined ? undefined : stripScheme(raw, rule.scheme);
    return (token === undefined ? undefined : keyByToken.get(token)) ?? byIp(headers, socketIp);
  };
}

export type KeyResolver = ReturnType<typeof createKeyResolver>;
