import { trimOws } from './credential-header.js';
import { RateLimitContractError } from './errors.js';
import { ipFamily } from './ip-family.js';
import { type OptionLabel, showValue } from './option-names.js';

/**
 * Client addresses as budget keys: one spelling per address, and IPv6 callers grouped by prefix.
 * express-rate-limit v8 keys IPv6 by a /56 (`ipv6Subnet`) for the same reason: one host usually holds a
 * whole /64, often more, so keying by address would let it mint 2^64 budgets and flush the store.
 */

/** The IPv6 prefix length callers are grouped by, unless configured (as express-rate-limit's `ipv6Subnet`). */
export const DEFAULT_IPV6_SUBNET = 56;

/** Longest X-Forwarded-For value read; a longer one falls back to the socket address. */
const MAX_FORWARDED_LENGTH = 256;

/** Reads an IPv6 address (already validated by ipFamily, zone removed) into eight 16-bit groups. */
function ipv6Groups(text: string): number[] {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    // An embedded IPv4 tail (`::ffff:1.2.3.4`) is the last two groups: spell it as them.
    const [a = 0, b = 0, c = 0, d = 0] = body
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    body = `${body.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const gap = body.indexOf('::');
  if (gap === -1) return parse(body);
  const left = parse(body.slice(0, gap));
  const right = parse(body.slice(gap + 2));
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Zeroes every bit past the first `bits`. */
function maskGroups(groups: number[], bits: number): number[] {
  return groups.map((group, i) => {
    const keep = Math.min(16, Math.max(0, bits - i * 16));
    return keep === 16 ? group : keep === 0 ? 0 : group & (0xffff << (16 - keep)) & 0xffff;
  });
}

/**
 * Reads an address as a client may send it (X-Forwarded-For) or a socket reports it, into its one key
 * spelling: dotted decimal for IPv4 (IPv4-mapped IPv6 included), RFC 5952 for IPv6, grouped by
 * `ipv6Subnet` bits (`2001:db8:0:ab00::/56`). A port (`1.2.3.4:8080`, `[2001:db8::1]:443`), brackets
 * and an IPv6 zone (`%eth0`) are dropped. Anything ipFamily (net.isIP's rules) rejects (`01.02.03.04`, `999.1.1.1`,
 * `1.2.3.4.5`, `....`) is undefined.
 */
export function canonicalIp(text: string, ipv6Subnet = DEFAULT_IPV6_SUBNET): string | undefined {
  let address = trimOws(text);
  const bracketed = address.startsWith('[');
  if (bracketed) {
    // Brackets enclose an IPv6 address only (RFC 3986 IP-literal), optionally followed by a port.
    const close = address.indexOf(']');
    if (close === -1 || !/^(?::\d{1,5})?$/.test(address.slice(close + 1))) return undefined;
    address = address.slice(1, close);
  } else if (address.indexOf(':') === address.lastIndexOf(':') && address.includes('.')) {
    const port = /^([^:]+):\d{1,5}$/.exec(address);
    if (port) address = port[1] as string;
  }
  const family = ipFamily(address);
  if (family === 4 && !bracketed) return address;
  if (family !== 6) return undefined;
  const zone = address.indexOf('%');
  const groups = ipv6Groups(zone === -1 ? address : address.slice(0, zone));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  if (ipv6Subnet >= 128) return formatIpv6(groups);
  return `${formatIpv6(maskGroups(groups, ipv6Subnet))}/${ipv6Subnet}`;
}

/** Options for reading the client address. */
export interface ClientIpOptions {
  /** Read the left-most X-Forwarded-For entry (when it is an address) instead of the socket's. */
  trustProxy?: boolean;
  /** IPv6 prefix length callers are grouped by (1–128; 128 keys each address). Default 56. */
  ipv6Subnet?: number;
}

/**
 * The client address a budget is keyed by: the socket's, or with trustProxy the left-most
 * X-Forwarded-For entry when it is an address; anything else falls back to the socket, as documented.
 */
export function clientIp(headers: Record<string, string | string[] | undefined>, socketIp: string | undefined, trust: boolean | ClientIpOptions = {}): string {
  const options = typeof trust === 'boolean' ? { trustProxy: trust } : trust;
  const subnet = options.ipv6Subnet ?? DEFAULT_IPV6_SUBNET;
  if (options.trustProxy) {
    const sent = headers['x-forwarded-for'];
    const value = Array.isArray(sent) ? sent[0] : sent;
    if (value !== undefined && value.length <= MAX_FORWARDED_LENGTH) {
      const comma = value.indexOf(',');
      const forwarded = canonicalIp(comma === -1 ? value : value.slice(0, comma), subnet);
      if (forwarded !== undefined) return forwarded;
    }
  }
  if (socketIp === undefined) return 'unknown';
  // node reports IPv4 peers in dotted decimal already: the common case allocates nothing.
  if (!socketIp.includes(':')) return socketIp;
  return canonicalIp(socketIp, subnet) ?? 'unknown';
}

/**
 * Reads an IPv6 prefix length (a flag's text or an option's number): a whole number from 1 to 128.
 * Throws a one-line RateLimitContractError that names the option as the user gave it (`label`).
 */
export function readIpv6Subnet(value: string | number | undefined, label: OptionLabel): number | undefined {
  if (value === undefined) return undefined;
  const bits = typeof value === 'number' ? value : /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(bits) || bits < 1 || bits > 128) {
    throw new RateLimitContractError(
      'ERR_RLC_USAGE',
      `Failed to read ${label.name}: ${showValue(value)} is not an IPv6 prefix length. Pass a whole number from 1 to 128, e.g. ${label.pass(64)} (default 56; 128 keys each address).`,
    );
  }
  return bits;
}
