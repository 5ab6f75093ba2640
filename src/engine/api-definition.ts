import type { RateLimitPolicy } from '../core/policy.js';
import type { CredentialsFile } from '../openapi/credentials.js';
import type { RenderedOperation } from '../render/response-catalog.js';

/**
 * Everything an engine is built from, as plain JSON: the resolved policy, the operations with their
 * pre-rendered responses, and the credentials. Node builds it from files (`loadApiDefinition`); a browser
 * receives it as data (the MSW adapter's `createRateLimitedApi`), since it can read no files.
 */
export interface ApiDefinition {
  /** The spec's `info.title` and `info.version`. */
  title: string;
  /** The spec's absolute path, named in the banner and in errors. */
  source: string;
  /** The embedded profile the spec belongs to, if any. */
  profile: string | undefined;
  /** The policy after env vars and options were applied. */
  policy: RateLimitPolicy;
  /** Where the limit came from: `the spec`, an env var's name, or `--limit`. */
  limitSource: string;
  operations: RenderedOperation[];
  credentials: CredentialsFile | undefined;
  /** Where the rendered responses came from: the shipped fixture, the render cache, or a fresh Prism render. */
  catalogFrom: 'fixture' | 'cache' | 'prism';
}
