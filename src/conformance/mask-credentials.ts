import type { SingleLimitView } from '../core/single-limit-view.js';
import type { CredentialsFile } from '../openapi/credentials.js';
import type { CheckResult, Exchange } from './conformance-check.js';
import type { RecordedExchange } from './recorded-exchange.js';

/** Headers that carry a credential whatever the spec says. */
const ALWAYS_SECRET = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-ratelimit-control-token'];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every header name that carries a credential in this suite: the policy's key header, each header of the
 * credentials file, and what the spec's security schemes send (`apiKey` in a header or a cookie, `http`,
 * `oauth2` and `openIdConnect` in authorization), besides the usual ones. Lower case.
 */
export function secretHeaderNames(policy: SingleLimitView, document: Record<string, unknown>, credentials?: CredentialsFile): string[] {
  const names = new Set(ALWAYS_SECRET);
  if (policy.key.by !== 'ip') names.add(policy.key.header.toLowerCase());
  for (const principal of credentials?.principals ?? [])
    for (const credential of principal.credentials) for (const name of Object.keys(credential)) names.add(name.toLowerCase());
  const schemes = isObject(document.components) && isObject(document.components.securitySchemes) ? document.components.securitySchemes : {};
  for (const scheme of Object.values(schemes)) {
    if (!isObject(scheme)) continue;
    if (scheme.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string') names.add(scheme.name.toLowerCase());
    if (scheme.type === 'apiKey' && scheme.in === 'cookie') names.add('cookie');
    if (scheme.type === 'http' || scheme.type === 'oauth2' || scheme.type === 'openIdConnect') names.add('authorization');
  }
  return [...names];
}

/** `Bearer rl_test_…`: keeps the scheme and enough of the token to tell keys apart. */
export function maskValue(value: string): string {
  const space = value.indexOf(' ');
  const [scheme, token] = space > 0 ? [value.slice(0, space), value.slice(space + 1)] : ['', value];
  const shown = token.length > 12 ? `${token.slice(0, 8)}…` : `${token.slice(0, 3)}…`;
  return scheme ? `${scheme} ${shown}` : shown;
}

/** Masks credentials in results before any report sees them: by header name, and known secret values anywhere in the text. */
export function createCredentialMasker(headerNames: string[], credentials?: CredentialsFile): (result: CheckResult) => CheckResult {
  const secret = new Set(headerNames.map((n) => n.toLowerCase()));
  const values = new Map<string, string>();
  for (const principal of credentials?.principals ?? []) {
    for (const [name, value] of principal.credentials.flatMap((c) => Object.entries(c))) {
      if (!secret.has(name.toLowerCase()) || value.length < 6) continue;
      values.set(value, maskValue(value));
      const token = value.slice(value.indexOf(' ') + 1);
      if (token !== value && token.length >= 6) values.set(token, maskValue(token));
    }
  }
  // One pass over each text, the longest value first where several start at one place (a whole
  // `Bearer …` before its token): reports mask every recorded request, so this runs thousands of times.
  const longestFirst = [...values.keys()].sort((a, b) => b.length - a.length);
  const pattern = longestFirst.length > 0 ? new RegExp(longestFirst.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g') : undefined;
  const shortest = longestFirst.at(-1)?.length ?? Number.POSITIVE_INFINITY;
  const scrub = (text: string) => (pattern && text.length >= shortest ? text.replace(pattern, (found) => values.get(found) ?? found) : text);
  const headers = (input: Record<string, string>) =>
    Object.fromEntries(Object.entries(input).map(([name, value]) => [name, secret.has(name.toLowerCase()) ? maskValue(value) : scrub(value)]));
  const exchange = (e: Exchange): Exchange => ({
    ...e,
    request: {
      ...e.request,
      headers: headers(e.request.headers),
      path: scrub(e.request.path),
      body: e.request.body === undefined ? undefined : scrub(e.request.body),
    },
    response: { ...e.response, headers: headers(e.response.headers), text: scrub(e.response.text) },
  });
  // Records of a shared scenario recur in several results: mask each once.
  const maskedRecords = new WeakMap<RecordedExchange, RecordedExchange>();
  const recorded = (r: RecordedExchange): RecordedExchange => {
    let masked = maskedRecords.get(r);
    if (!masked) {
      masked = { ...r, headers: headers(r.headers), path: scrub(r.path), rateLimitHeaders: headers(r.rateLimitHeaders) };
      maskedRecords.set(r, masked);
    }
    return masked;
  };
  return (result) => {
    const failure = result.failure;
    const masked = result.exchanges ? { ...result, exchanges: { ...result.exchanges, items: result.exchanges.items.map(recorded) } } : result;
    if (!failure) return masked;
    return {
      ...masked,
      reason: result.reason === undefined ? undefined : scrub(result.reason),
      failure: {
        ...failure,
        summary: scrub(failure.summary),
        expected: scrub(failure.expected),
        actual: scrub(failure.actual),
        exchange: failure.exchange && exchange(failure.exchange),
      },
    };
  };
}
