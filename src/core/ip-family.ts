/**
 * The family of an IP address literal (4, 6, or 0 when it is none), with node's `net.isIP` semantics but
 * no node module, so that the engine also runs in a browser (the MSW worker). IPv4 is four decimal
 * octets 0–255 without leading zeros (`01.02.03.04` is not an address, as for net.isIP); IPv6 is RFC 4291
 * text: up to eight 16-bit hex groups, at most one `::`, an optional dotted IPv4 tail and `%zone`.
 */
export function ipFamily(text: string): 0 | 4 | 6 {
  if (isIpv4(text)) return 4;
  return isIpv6(text) ? 6 : 0;
}

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  if (parts.length !== 4) return false;
  for (const part of parts) {
    if (part.length === 0 || part.length > 3 || (part.length > 1 && part.charCodeAt(0) === 48)) return false;
    for (let i = 0; i < part.length; i += 1) {
      const code = part.charCodeAt(i);
      if (code < 48 || code > 57) return false;
    }
    if (Number(part) > 255) return false;
  }
  return true;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
// A zone id, with the characters net.isIP accepts in one.
const ZONE = /^[0-9a-zA-Z.:-]+$/;

function isIpv6(text: string): boolean {
  let body = text;
  const percent = body.indexOf('%');
  if (percent !== -1) {
    if (!ZONE.test(body.slice(percent + 1))) return false;
    body = body.slice(0, percent);
  }
  if (body.length < 2 || body.length > 45) return false;
  let groupsNeeded = 8;
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    if (!isIpv4(body.slice(lastColon + 1))) return false;
    // The IPv4 tail stands for the last two groups; keep its leading colon so `::1.2.3.4` still parses.
    body = `${body.slice(0, lastColon + 1)}0`;
    groupsNeeded = 7;
  }
  const gap = body.indexOf('::');
  if (gap !== -1 && body.indexOf('::', gap + 1) !== -1) return false;
  if (gap === -1) {
    const groups = body.split(':');
    return groups.length === groupsNeeded && groups.every((g) => HEX_GROUP.test(g));
  }
  const left = body.slice(0, gap);
  const right = body.slice(gap + 2);
  const leftGroups = left === '' ? [] : left.split(':');
  const rightGroups = right === '' ? [] : right.split(':');
  if (![...leftGroups, ...rightGroups].every((g) => HEX_GROUP.test(g))) return false;
  // `::` stands for at least one group of zeros.
  return leftGroups.length + rightGroups.length <= groupsNeeded - 1;
}
