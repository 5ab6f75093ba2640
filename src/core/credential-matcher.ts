import { canonicalCredential } from './credential-header.js';

/** Headers as node:http gives them: lower-case names; duplicates arrive joined or as arrays. */
export type CredentialHeaders = Record<string, string | string[] | undefined>;

/** A credential of the credentials file: header names (lower case) to the values that authenticate. */
export type CredentialSet = Readonly<Record<string, string>>;

/** Who a request authenticated as, and with which of the principal's credentials. */
export interface CredentialMatch {
  principal: string;
  credential: CredentialSet;
}

/** One level of a lookup trie: a header's value (canonical, and the file's own spelling) to the next level. */
type Level = Map<string, Level | CredentialMatch>;

interface Shape {
  /** The header names of the credentials of this shape, sorted. */
  names: string[];
  root: Level;
}

/**
 * Builds the function that says which principal a request authenticates as: the request must carry
 * every header of one credential, each equal to the file's value once both are read by
 * `canonicalCredential` (RFC 9110 for Authorization). The key resolver and the authenticator both use it.
 * A known credential sent as the file spells it costs one Map lookup per header and allocates nothing.
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
      const shape = shapes.get(shapeKey) ?? { names, root: new Map() };
      shapes.set(shapeKey, shape);
      let level = shape.root;
      names.forEach((name, i) => {
        const spellings = new Set([canonical[i] as string, credential[name] as string]);
        const last = i === names.length - 1;
        const next: Level | CredentialMatch = last ? { principal: id, credential } : ((level.get(canonical[i] as string) as Level | undefined) ?? new Map());
        // The first credential listed wins when two principals share one (a broken file, but deterministic).
        for (const spelling of spellings) if (!level.has(spelling)) level.set(spelling, next);
        if (!last) level = level.get(canonical[i] as string) as Level;
      });
    }
  }
  const ordered = [...shapes.values()];

  const step = (level: Level, name: string, value: string | string[] | undefined): Level | CredentialMatch | undefined => {
    if (typeof value !== 'string') return undefined;
    const exact = level.get(value);
    if (exact !== undefined) return exact;
    const canonical = canonicalCredential(name, value);
    return canonical === undefined ? undefined : level.get(canonical);
  };

  return (headers: CredentialHeaders): CredentialMatch | undefined => {
    for (const { names, root } of ordered) {
      let at: Level | CredentialMatch | undefined = root;
      for (let i = 0; i < names.length && at instanceof Map; i++) at = step(at, names[i] as string, headers[names[i] as string]);
      if (at !== undefined && !(at instanceof Map)) return at;
    }
    return undefined;
  };
}

export type CredentialMatcher = ReturnType<typeof createCredentialMatcher>;
