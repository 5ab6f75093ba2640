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
const CREDENTIALS = new RegExp(`^(${TCHAR}+)(?: +([^]*))?$`);
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
// #auth-param (RFC 9110 §5.6.1 list syntax, §11.2 auth-param): token BWS "=" BWS ( token / quoted-string ).
const QUOTED = '"(?:[\\t !#-\\[\\]-~\\x80-\\xff]|\\\\[\\t -~\\x80-\\xff])*"';
const PARAM = `${TCHAR}+[ \\t]*=[ \\t]*(?:${TCHAR}+|${QUOTED})`;
const AUTH_PARAMS = new RegExp(`^(?:${PARAM})?(?:[ \\t]*,[ \\t]*(?:${PARAM})?)*$`);

/** Headers whose value is RFC 9110 `credentials` (an auth scheme, then a token or parameters). */
export const AUTHORIZATION_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization']);

/** Drops leading and trailing SP and HTAB only (String#trim would also drop U+00A0 and other spaces). */
export function trimOws(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && (value.charCodeAt(start) === 32 || value.charCodeAt(start) === 9)) start += 1;
  while (end > start && (value.charCodeAt(end - 1) === 32 || value.charCodeAt(end - 1) === 9)) end -= 1;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** An `Authorization` value read per RFC 9110: the scheme in lower case, and the rest as sent. */
export interface ParsedCredentials {
  scheme: string;
  /** The token68 or the auth-params; empty for a scheme alone. */
  rest: string;
}

/** Parses RFC 9110 `credentials`; undefined when the value is not one (e.g. a token with a no-break space). */
export function parseCredentials(value: string): ParsedCredentials | undefined {
  const match = CREDENTIALS.exec(trimOws(value));
  if (!match) return undefined;
  const scheme = (match[1] as string).toLowerCase();
  const rest = match[2] ?? '';
  if (rest === '' || TOKEN68.test(rest) || AUTH_PARAMS.test(rest)) return { scheme, rest };
  return undefined;
}

/**
 * The one spelling of a credential header value that lookups compare: for `Authorization`, the scheme in
 * lower case, one space, then the token (`bearer tok`); for other headers the value without surrounding
 * SP/HTAB. Undefined when the value is empty, an array (a duplicated header), or not valid credentials.
 */
export function canonicalCredential(name: string, value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (AUTHORIZATION_HEADERS.has(name)) {
    const parsed = parseCredentials(value);
    if (!parsed) return undefined;
    return parsed.rest === '' ? parsed.scheme : `${parsed.scheme} ${parsed.rest}`;
  }
  const trimmed = trimOws(value);
  return trimmed === '' ? undefined : trimmed;
}
