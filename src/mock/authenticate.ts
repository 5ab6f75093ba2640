import { createCredentialMatcher } from '../core/credential-matcher.js';
import type { RequestHeaders } from '../core/key-resolver.js';
import type { CredentialsFile } from '../openapi/credentials.js';

/**
 * Checks a request's credential headers against the credentials file: every header of some credential
 * must match, each read as the key resolver reads it (`canonicalCredential`: RFC 9110 for
 * Authorization, so `bearer <token>` is the same credential as `Bearer <token>`). Returns the principal
 * id, or undefined. Runs after the limiter, as ReconLayer's "rate limiting runs before auth" implies.
 */
export function createAuthenticator(file: CredentialsFile | undefined) {
  if (!file) return (_headers: RequestHeaders): string | undefined => 'anonymous';
  const match = createCredentialMatcher(file.principals);
  return (headers: RequestHeaders): string | undefined => match(headers)?.principal;
}
