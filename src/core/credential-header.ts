/**
 * How one credential header value is read, by the key resolver and the authenticator alike, so that a
 * request is never keyed as one principal and answered as another.
 *
 * `Authorization` and `Proxy-Authorization` follow RFC 9110 §11.4:
 *   credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 * The scheme is case-insensitive ("bearer", "Bearer" and "BEARER" are one scheme) and one or more spaces
 * may separate it from the rest; the token68 itself is case-sensitive. Only SP and HTAB are whitespace
 * around a field value (RFC 9110 §5.5): a no-break space (U+00A0) is a character of the value, and as no
 * token68 holds one, such a value is not a credential at all.
 * Other headers (X-API-KEY, X-CLIENT-ID…) are compared as sent, without surrounding SP/HTAB.
 */

const TCHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]";
// #auth-param (RFC 9110 §5.6.1 list syntax, §11.2 auth-param): token BWS "=" BWS ( token / quoted-string ).
const QUOTED = '"(?:[\\t !#-\\[\\]-~\\x80-\\xff]|\\\\[\\t -~\\x80-\\xff])*"';
const PARAM = `${TCHAR}+[ \\t]*=[ \\t]*(?:${TCHAR}+|${QUOTED})`;
const AUTH_PARAMS = new RegExp(`^(?:${PARAM})?(?:[ \\t]*,[ \\t]*(?:${PARAM})?)*$`);

/** Headers whose value is RFC 9110 `credentials` (an auth scheme, then a token or parameters). */
export const AUTHORIZATION_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization']);

/** Character classes by code, for a scan without regular expressions or allocations (hot path). */
const TCHAR_CODES = new Uint8Array(128);
const TOKEN68_CODES = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~") TCHAR_CODES[c.charCodeAt(0)] = 1;
for (const c of '-._~+/') TOKEN68_CODES[c.charCodeAt(0)] = 1;
for (let code = 48; code < 123; code += 1) {
  if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)) {
    TCHAR_CODES[code] = 1;
    TOKEN68_CODES[code] = 1;
  }
}
const isOws = (code: number) => code === 32 || code === 9;

/** Drops leading and trailing SP and HTAB only (String#trim would also drop U+00A0 and other spaces). */
export function trimOws(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isOws(value.charCodeAt(start))) start += 1;
  while (end > start && isOws(value.charCodeAt(end - 1))) end -= 1;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** Where the parts of an `Authorization` value lie, by index into the value as sent (no copies). */
export interface CredentialsAt {
  /** The scheme is value.slice(schemeStart, schemeEnd), compared case-insensitively. */
  schemeStart: number;
  schemeEnd: number;
  /** The token68 or auth-params is value.slice(restStart, end); empty for a scheme alone. */
  restStart: number;
  end: number;
}

/** token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
function isToken68(value: string, from: number, end: number): boolean {
  let i = from;
  while (i < end && value.charCodeAt(i) < 128 && TOKEN68_CODES[value.charCodeAt(i)] === 1) i += 1;
  if (i === from) return false;
  while (i < end && value.charCodeAt(i) === 61) i += 1;
  return i === end;
}

/**
 * Reads RFC 9110 `credentials` in a header value as sent (OWS around it ignored); undefined when the
 * value is not credentials, e.g. a token followed by a no-break space. Allocates nothing for a token68.
 */
export function readCredentials(value: string): CredentialsAt | undefined {
  let start = 0;
  let end = value.length;
  while (start < end && isOws(value.charCodeAt(start))) start += 1;
  while (end > start && isOws(value.charCodeAt(end - 1))) end -= 1;
  let schemeEnd = start;
  while (schemeEnd < end && value.charCodeAt(schemeEnd) < 128 && TCHAR_CODES[value.charCodeAt(schemeEnd)] === 1) schemeEnd += 1;
  if (schemeEnd === start) return undefined;
  if (schemeEnd === end) return { schemeStart: start, schemeEnd, restStart: end, end };
  let restStart = schemeEnd;
  while (restStart < end && value.charCodeAt(restStart) === 32) restStart += 1;
  if (restStart === schemeEnd) return undefined;
  if (isToken68(value, restStart, end) || AUTH_PARAMS.test(value.slice(restStart, end))) return { schemeStart: start, schemeEnd, restStart, end };
  return undefined;
}

/** True when value.slice(at.schemeStart, at.schemeEnd) is `scheme` (lower case) in any case. */
export function schemeIs(value: string, at: CredentialsAt, scheme: string): boolean {
  if (at.schemeEnd - at.schemeStart !== scheme.length) return false;
  for (let i = 0; i < scheme.length; i += 1) {
    let code = value.charCodeAt(at.schemeStart + i);
    if (code >= 65 && code <= 90) code += 32;
    if (code !== scheme.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * The one spelling of a credential header value that lookups compare: for `Authorization`, the scheme in
 * lower case, one space, then the token (`bearer tok`); for other headers the value without surrounding
 * SP/HTAB. Undefined when the value is empty, an array (a duplicated header), or not valid credentials.
 */
export function canonicalCredential(name: string, value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (AUTHORIZATION_HEADERS.has(name)) {
    const at = readCredentials(value);
    if (!at) return undefined;
    const scheme = value.slice(at.schemeStart, at.schemeEnd).toLowerCase();
    return at.restStart === at.end ? scheme : `${scheme} ${value.slice(at.restStart, at.end)}`;
  }
  const trimmed = trimOws(value);
  return trimmed === '' ? undefined : trimmed;
}
