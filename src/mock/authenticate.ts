import type { RequestHeaders } from '../core/key-resolver.js';
import type { CredentialsFile } from '../openapi/credentials.js';

/**
 * Checks a request's credential headers against the credentials file: every header of some credential
 * must match exactly. Returns the principal id, or undefined. Runs after the limiter, as ReconLayer's
 * "rate limiting runs before auth" implies.
 */
export function createAuthenticator(file: CredentialsFile | undefined) {
  if (!file) return () => 'anonymous';
  const shapes = new Map<string, Map<string, string>>();
  for (const principal of file.principals) {
    for (const credential of principal.credentials) {
      const names = Object.keys(credential).sort();
      const shape = names.join('\n');
      const bySignature = shapes.get(shape) ?? new Map<string, string>();
      bySignature.set(names.map((n) => credential[n]).join('\n'), principal.id);
      shapes.set(shape, bySignature);
    }
  }
  // One entry per credential shape (the set of header names), tried in order; the values of one request
  // are joined the way the table's signatures were, without building arrays on the hot path.
  const lookups = [...shapes].map(([shape, bySignature]) => ({ names: shape.split('\n'), bySignature }));
  return (headers: RequestHeaders): string | undefined => {
    for (const { names, bySignature } of lookups) {
      let signature = '';
      let complete = true;
      for (let i = 0; i < names.length; i++) {
        const value = headers[names[i] as string];
        if (typeof value !== 'string') {
          complete = false;
          break;
        }
        signature = i === 0 ? value : `${signature}\n${value}`;
      }
      const principal = complete ? bySignature.get(signature) : undefined;
      if (principal) return principal;
    }
    return undefined;
  };
}
