import { type CredentialMatcher, type CredentialSet, createCredentialMatcher } from './credential-matcher.js';
import type { KeyRule } from './policy.js';

/** The part of a credentials file the core reads: principals and their header sets. */
export interface PrincipalCredentials {
  principals: ReadonlyArray<{ id: string; credentials: ReadonlyArray<CredentialSet> }>;
}

/**
 * The credentials a key rule may charge: those that carry the rule's header (ReconLayer's
 * Authorization, Authmatech's X-CLIENT-ID), matched whole. A request is charged to a principal only when
 * it authenticates as one of them, every header of the credential included (Authmatech: the client id
 * *and* its API key), so knowing a client id is not enough to spend that client's budget.
 */
export interface PrincipalIndex {
  /** The key rule's header, lower case. */
  header: string;
  match: CredentialMatcher;
}

/** Indexes the credentials that carry the key rule's header; for `by: ip` nothing is indexed. */
export function buildPrincipalIndex(rule: KeyRule, file: PrincipalCredentials): PrincipalIndex {
  const header = rule.by === 'ip' ? '' : rule.header.toLowerCase();
  const principals = file.principals.map((p) => ({
    id: p.id,
    credentials: header === '' ? [] : p.credentials.filter((c) => Object.keys(c).some((name) => name.toLowerCase() === header)),
  }));
  return { header, match: createCredentialMatcher(principals) };
}
