import { AUTHORIZATION_HEADERS, canonicalCredential, readCredentials, schemeIs, trimOws } from './credential-header.js';

/** Headers as node:http gives them: lower-case names; duplicates arrive joined or as arrays. */
export type CredentialHeaders = Record<string, string | string[] | undefined>;

/** A credential of the credentials file: header names (lower case) to the values that authenticate. */
export type CredentialSet = Readonly<Record<string, string>>;

/** Who a request authenticated as, and with which of the principal's credentials. */
export interface CredentialMatch {
  principal: string;
  credential: CredentialSet;
}

/** What a header's value leads to: the next header's level, or (for the last header) the match. */
type Next = Level | CredentialMatch;

/** One level of a lookup trie, for one header of a credential shape. */
interface Level {
  /** By the value as the file spells it, and by its canonical spelling. */
  exact: Map<string, Next>;
  /** Authorization only: by lower-case scheme, then by the token (or auth-params) as sent. */
  schemes: Array<{ scheme: string; byRest: Map<string, Next> }>;
}

interface Shape {
  /** The header names of the credentials of this shape, sorted. */
  names: string[];
  root: Level;
}

const newLevel = (): Level => ({ exact: new Map(), schemes: [] });
const isLevel = (next: Next | undefined): next is Level => next !== undefined && 'exact' in next;

/** Finds a header value in a level, reading it as canonicalCredential does, without building a string. */
function step(level: Level, name: string, value: string | string[] | undefined): Next | undefined {
  if (typeof value !== 'string') return undefined;
  const exact = level.exact.get(value);
  if (exact !== undefined) return exact;
  if (AUTHORIZATION_HEADERS.has(name)) {
    const at = readCredentials(value);
    if (!at) return undefined;
    for (const { scheme, byRest } of level.schemes) if (schemeIs(value, at, scheme)) return byRest.get(value.slice(at.restStart, at.end));
    return undefined;
  }
  const trimmed = trimOws(value);
  return trimmed === value ? undefined : level.exact.get(trimmed);
}

/** Adds one header value of a credential to a level, under every spelling `step` may look it up by. */
function add(level: Level, name: string, fileValue: string, canonical: string, next: () => Next): Next {
  const known = level.exact.get(canonical);
  // The first credential listed wins when two principals share one (a broken file, but deterministic).
  const target = known ?? next();
  if (!level.exact.has(fileValue)) level.exact.set(fileValue, target);
  if (!known) level.exact.set(canonical, target);
  if (AUTHORIZATION_HEADERS.has(name)) {
    const space = canonical.indexOf(' ');
    const scheme = space === -1 ? canonical : canonical.slice(0, space);
    const rest = space === -1 ? '' : canonical.slice(space + 1);
    let entry = level.schemes.find((s) => s.scheme === scheme);
    if (!entry) {
      entry = { scheme, byRest: new Map() };
      level.schemes.push(entry);
    }
    if (!entry.byRest.has(rest)) entry.byRest.set(rest, target);
  }
  return target;
}

/**
 * Builds the function that says which principal a request authenticates as: the request must carry
 * every header of one credential, each equal to the file's value once both are read by
 * `canonicalCredential` (RFC 9110 for Authorization). The key resolver and the authenticator both use it.
 * A known credential sent as the file spells it costs one Map lookup per header and allocates nothing;
 * another spelling of Authorization is read in place (readCredentials) and costs one slice.
 */
export function createCredentialMatcher(principals: ReadonlyArray<{ id: string; credentials: ReadonlyArray<CredentialSet> }>) {
  const shapes = new Map<string, Shape>();
  for (const { id, credentials } of principals) {
    for (const raw of credentials) {
      const credential = Object.fromEntries(Object.entries(raw).map(([name, value]) => [name.toLowerCase(), value]));
      const names = Object.keys(credential).sort();
      const canonical = names.map((name) => canonicalCredential(name, credential[name]));
      // A file value that is not valid credentials (e.g. an Authorization value with a no-break space) can
      // never be sent validly, so it authenticates nobody.
      if (names.length === 0 || canonical.some((value) => value === undefined)) continue;
      const shapeKey = names.join('\n');
      const shape = shapes.get(shapeKey) ?? { names, root: newLevel() };
      shapes.set(shapeKey, shape);
      let level = shape.root;
      names.forEach((name, i) => {
        const last = i === names.length - 1;
        const next = add(level, name, credential[name] as string, canonical[i] as string, () => (last ? { principal: id, credential } : newLevel()));
        if (isLevel(next)) level = next;
      });
    }
  }
  const ordered = [...shapes.values()];

  return (headers: CredentialHeaders): CredentialMatch | undefined => {
    for (const { names, root } of ordered) {
      let at: Next | undefined = root;
      for (let i = 0; i < names.length && isLevel(at); i++) at = step(at, names[i] as string, headers[names[i] as string]);
      if (at !== undefined && !isLevel(at)) return at;
    }
    return undefined;
  };
}

export type CredentialMatcher = ReturnType<typeof createCredentialMatcher>;
