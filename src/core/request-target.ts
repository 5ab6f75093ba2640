/**
 * A request target split into what routing and budgeting need. `clean` is true only when the raw path is
 * already canonical: no dot segments, no empty segments, no percent-encoding, no `;` parameters, ASCII.
 * Exemptions are granted only to clean paths, so no encoding trick can reach an exempt pattern.
 */
export interface RequestTarget {
  /** The path as sent, before the query. */
  rawPath: string;
  /** Dot segments resolved, empty segments dropped, unreserved percent-escapes decoded (never %2F). */
  path: string;
  query: string;
  clean: boolean;
}

const UNRESERVED_ESCAPE = /%(2[dDeE]|3\d|[46][1-9a-fA-F]|[57][0-9aA]|5[fF]|7[eE])/g;
const SUSPICIOUS = /[%;\\]|[^\x21-\x7e]/;
const PLAIN = /^(?:\/[\w\-~!$&'()*+,=:@][\w\-~!$&'()*+,=:@.]*)*\/?$/;

/** Parses a request target (origin-form or absolute-form). Never throws: odd input just isn't clean. */
export function parseRequestTarget(target: string): RequestTarget {
  let rest = target;
  let absolute = false;
  if (!rest.startsWith('/')) {
    // absolute-form (RFC 9112 §3.2.2) or garbage: take the path part, and never treat it as clean.
    absolute = true;
    const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/.exec(rest);
    rest = scheme ? rest.slice(scheme[0].length) || '/' : `/${rest}`;
  }
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const rawPath = q === -1 ? rest : rest.slice(0, q);
  const query = q === -1 ? '' : rest.slice(q + 1);
  // Fast path: a plain ASCII path with no escapes, dot segments or empty segments is already canonical.
  // PLAIN admits no %, ;, \ or non-ASCII, so a plain path needs no SUSPICIOUS test.
  if (!absolute && PLAIN.test(rawPath)) return { rawPath, path: rawPath, query, clean: hash === -1 };
  const path = canonicalPath(rawPath);
  const clean = !absolute && hash === -1 && path === rawPath && !SUSPICIOUS.test(rawPath);
  return { rawPath, path, query, clean };
}

/** Resolves dot segments (RFC 3986 §5.2.4) after decoding unreserved escapes, and drops empty segments. */
export function canonicalPath(rawPath: string): string {
  const decoded = rawPath.replace(UNRESERVED_ESCAPE, (hex) => String.fromCharCode(Number.parseInt(hex.slice(1), 16)));
  const out: string[] = [];
  const segments = decoded.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  const trailing = segments.length > 1 && segments[segments.length - 1] === '' && out.length > 0;
  return `/${out.join('/')}${trailing ? '/' : ''}`;
}
