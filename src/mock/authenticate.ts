import type { RequestHeaders } from '../core/key-resolver.js';
import type { CredentialsFile } from '../spec/credentials.js';

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
  const shapeNames = [...shapes.keys()].map((shape) => shape.split('\n'));
  return (headers: RequestHeaders): string | undefined => {
    for (const names of shapeNames) {
      const values = names.map((n) => headers[n]);
      if (values.some((v) => typeof v !== 'string')) continue;
      const principal = shapes.get(names.join('\n'))?.get(values.join('\n'));
      if (principal) return principal;
    }
    return undefined;
  };
}
