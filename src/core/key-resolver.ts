import { type ClientIpOptions, canonicalIp, clientIp as readClientIp, readIpv6Subnet } from './client-ip.js';
import { canonicalCredential } from './credential-header.js';
import type { CredentialMatch } from './credential-matcher.js';
import { optionLabel } from './option-names.js';
import type { KeyRule } from './policy.js';
import type { PrincipalIndex } from './principal-index.js';

export { DEFAULT_IPV6_SUBNET } from './client-ip.js';
export type { PrincipalIndex } from './principal-index.js';

/** Headers as node:http gives them: lower-case names; duplicates arrive joined or as arrays. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/** Longest header value that can name a key by itself (`by: header` without a credentials file). */
export const MAX_KEY_VALUE_LENGTH = 256;

export interface KeyResolverOptions extends ClientIpOptions {
  /**
   * The credentials the rule may charge (buildPrincipalIndex). With it, a request is charged to a
   * principal only when it authenticates as one of its credentials; without it (no credentials file),
   * `by: header` keys by the header's value as sent and `by: principal` falls back to the IP.
   */
  principals?: PrincipalIndex;
}

/** Normalizes an IP so that one client has one key (`::ffff:1.2.3.4` and `1.2.3.4` are the same). */
export function normalizeIp(ip: string | undefined): string {
  return ip === undefined ? 'unknown' : (canonicalIp(ip) ?? 'unknown');
}

/** The client IP: the socket's, or with trustProxy the left-most X-Forwarded-For entry when it is an address. */
export const clientIp = readClientIp;

/**
 * Builds the function that names a request's budget. Keys read `<principal>:<id>` or `ip:<address>`.
 * The rule (docs/x-rate-limit.md, "Who is charged"): with a credentials file, a credential's budget is
 * charged only when the request authenticates as it, all of its headers included; anything else (a
 * missing, unknown, oversized or half-right credential, e.g. a known client id with a wrong API key) is
 * keyed by the IP, so no header value can spend another's budget or mint a fresh one.
 */
export function createKeyResolver(rule: KeyRule, options: KeyResolverOptions = {}) {
  const ipOptions: ClientIpOptions = { trustProxy: options.trustProxy ?? false, ipv6Subnet: readIpv6Subnet(options.ipv6Subnet, optionLabel('ipv6Subnet')) };
  const byIp = (headers: RequestHeaders, socketIp: string | undefined) => `ip:${readClientIp(headers, socketIp, ipOptions)}`;
  if (rule.by === 'ip') return byIp;
  const principals = options.principals;
  if (principals === undefined) {
    if (rule.by === 'principal') return byIp;
    // No credentials file: the mock cannot authenticate, so the header's value names the budget.
    return (headers: RequestHeaders, socketIp: string | undefined): string => {
      const value = canonicalCredential(rule.header, headers[rule.header]);
      return value === undefined || value.length > MAX_KEY_VALUE_LENGTH ? byIp(headers, socketIp) : `${rule.principal}:${value}`;
    };
  }
  // Budget keys are built once per credential, so resolving a known credential allocates nothing.
  const keys = new Map<CredentialMatch, string>();
  const keyOf = (match: CredentialMatch): string => {
    let key = keys.get(match);
    if (key === undefined) {
      const fileValue = canonicalCredential(rule.header, match.credential[rule.header]);
      key = `${rule.principal}:${rule.by === 'principal' ? match.principal : fileValue}`;
      keys.set(match, key);
    }
    return key;
  };
  return (headers: RequestHeaders, socketIp: string | undefined): string => {
    const match = principals.match(headers);
    return match === undefined ? byIp(headers, socketIp) : keyOf(match);
  };
}

export type KeyResolver = ReturnType<typeof createKeyResolver>;
