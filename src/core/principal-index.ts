import type { KeyRule } from './policy.js';

/** The part of a credentials file the core reads: principals and their header sets. */
export interface PrincipalCredentials {
  principals: ReadonlyArray<{ id: string; credentials: ReadonlyArray<Record<string, string>> }>;
}

/**
 * Indexes credentials by the value the key rule reads (the scheme stripped): for ReconLayer the bearer
 * token → organization; for Authmatech the X-CLIENT-ID → client.
 */
export function buildPrincipalIndex(rule: KeyRule, file: PrincipalCredentials): Map<string, string> {
  const index = new Map<string, string>();
  if (rule.by === 'ip') return index;
  for (const principal of file.principals) {
    for (const credential of principal.credentials) {
      let value = credential[rule.header];
      if (value === undefined) continue;
      if (rule.by === 'principal' && rule.scheme && value.toLowerCase().startsWith(`${rule.scheme.toLowerCase()} `)) {
        value = value.slice(rule.scheme.length + 1);
      }
      index.set(value.trim(), principal.id);
    }
  }
  return index;
}
