import { requireDurationMs } from '../core/duration.js';
import { RateLimitContractError } from '../core/errors.js';
import { applyOverrides, type PolicyOverrides, parsePolicy, readEnvOverrides } from '../core/parse-policy.js';
import type { RateLimitPolicy } from '../core/policy.js';
import { type CredentialsFile, loadCredentials, validateCredentials } from '../openapi/credentials.js';
import { type LoadedSpec, loadSpec } from '../openapi/load-spec.js';
import { profileFiles, profileOfSpec } from '../openapi/profiles.js';
import type { MockServerOptions } from './mock-options.js';

/** What the mock runs on: the spec, its resolved policy, credentials, and where the limit came from. */
export interface MockConfig {
  spec: LoadedSpec;
  policy: RateLimitPolicy;
  credentials: CredentialsFile | undefined;
  /** The pre-rendered responses shipped for an embedded profile. */
  responsesFixture: string | undefined;
  profile: string | undefined;
  limitSource: string;
}

/** Resolves options into a config: spec < env vars the policy declares < explicit options. */
export function resolveMockConfig(options: MockServerOptions): MockConfig {
  if (options.profile !== undefined && options.spec !== undefined) {
    throw new RateLimitContractError('ERR_RLC_USAGE', 'Failed to choose the API: both --profile and --spec were given. Pass one of them.');
  }
  const profile = options.spec === undefined ? profileFiles(options.profile ?? 'reconlayer') : profileOfSpec(options.spec);
  const specFile = options.spec ?? profile?.spec ?? '';
  const spec = loadSpec(specFile, { allowExternalRefs: options.allowExternalRefs });
  const base = parsePolicy(spec.document['x-rate-limit'], specFile);
  const envOverrides = readEnvOverrides(base, options.env ?? process.env);
  const flagOverrides: PolicyOverrides = { emitHeaders: options.emitHeaders };
  if (options.limit !== undefined) {
    if (!Number.isSafeInteger(options.limit) || options.limit < 1) {
      throw new RateLimitContractError('ERR_RLC_USAGE', `Failed to read --limit: ${options.limit} is not a positive whole number. Pass e.g. --limit 300.`);
    }
    flagOverrides.limit = options.limit;
  }
  if (options.window !== undefined) {
    flagOverrides.windowMs = typeof options.window === 'number' ? options.window : requireDurationMs(options.window, '--window');
  }
  if (options.algorithm !== undefined) flagOverrides.algorithm = options.algorithm;
  const policy = applyOverrides(base, envOverrides, flagOverrides);
  const limitSource = flagOverrides.limit !== undefined ? '--limit' : envOverrides.limit !== undefined ? `${base.env.limit}` : 'the spec';
  let credentials: CredentialsFile | undefined;
  if (typeof options.credentials === 'string') credentials = loadCredentials(options.credentials);
  else if (options.credentials) credentials = validateCredentials(options.credentials, 'the credentials option');
  else if (profile) credentials = loadCredentials(profile.credentials);
  return { spec, policy, credentials, responsesFixture: profile?.responses, profile: profile?.name, limitSource };
}
