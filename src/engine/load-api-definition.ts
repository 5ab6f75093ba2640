import { isAbsolute, resolve } from 'node:path';
import { requireDurationMs } from '../core/duration.js';
import { RateLimitContractError } from '../core/errors.js';
import { applyOverrides, type PolicyOverrides, readEnvOverrides } from '../core/policy-overrides.js';
import { type CredentialsFile, loadCredentials, validateCredentials } from '../openapi/credentials.js';
import { type LoadedSpec, loadSpec } from '../openapi/load-spec.js';
import { profileFiles, profileOfSpec } from '../openapi/profiles.js';
import { parseSpecPolicy } from '../openapi/spec-policy.js';
import { loadCatalog } from '../render/load-catalog.js';
import type { ApiDefinition } from './api-definition.js';
import type { EngineOptions } from './engine-options.js';

/** A file path as the process sees it: relative paths are read from the working directory, once, here. */
const absolute = (file: string) => (isAbsolute(file) ? file : resolve(file));

function flagOverrides(options: EngineOptions): PolicyOverrides {
  const overrides: PolicyOverrides = { emitHeaders: options.emitHeaders };
  if (options.limit !== undefined) {
    if (!Number.isSafeInteger(options.limit) || options.limit < 1) {
      throw new RateLimitContractError('ERR_RLC_USAGE', `Failed to read --limit: ${options.limit} is not a positive whole number. Pass e.g. --limit 300.`);
    }
    overrides.limit = options.limit;
  }
  if (options.window !== undefined) {
    overrides.windowMs = typeof options.window === 'number' ? options.window : requireDurationMs(options.window, '--window');
  }
  if (options.algorithm !== undefined) overrides.algorithm = options.algorithm;
  return overrides;
}

/**
 * Resolves options into a definition, the one place that does so for the mock, the nock helper and the
 * MSW handlers: the spec (an embedded profile is recognised by its absolute path, so a relative
 * `--spec openapi/reconlayer.yaml` keeps the profile's credentials), its policy under spec < env vars it
 * declares < options, the credentials, and the rendered responses. Also returns the loaded spec.
 */
export async function loadApiDefinition(options: EngineOptions): Promise<{ definition: ApiDefinition; spec: LoadedSpec }> {
  if (options.profile !== undefined && options.spec !== undefined) {
    throw new RateLimitContractError('ERR_RLC_USAGE', 'Failed to choose the API: both --profile and --spec were given. Pass one of them.');
  }
  const specFile = options.spec === undefined ? undefined : absolute(options.spec);
  const profile = specFile === undefined ? profileFiles(options.profile ?? 'reconlayer') : profileOfSpec(specFile);
  const spec = loadSpec(specFile ?? profile?.spec ?? '', { allowExternalRefs: options.allowExternalRefs });
  const base = parseSpecPolicy(spec.document, spec.source);
  const envOverrides = readEnvOverrides(base, options.env ?? process.env);
  const flags = flagOverrides(options);
  const policy = applyOverrides(base, envOverrides, flags);
  const limitSource = flags.limit !== undefined ? '--limit' : envOverrides.limit !== undefined ? `${base.env.limit}` : 'the spec';
  let credentials: CredentialsFile | undefined;
  if (typeof options.credentials === 'string') credentials = loadCredentials(absolute(options.credentials));
  else if (options.credentials) credentials = validateCredentials(options.credentials, 'the credentials option');
  else if (profile) credentials = loadCredentials(profile.credentials);
  let catalog: Awaited<ReturnType<typeof loadCatalog>>;
  try {
    catalog = await loadCatalog(spec, profile?.responses);
  } catch (error) {
    if (error instanceof RateLimitContractError) throw error;
    throw new RateLimitContractError(
      'ERR_RLC_SPEC_INVALID',
      `Failed to render responses for ${spec.source}: ${(error as Error).message.split('\n')[0]}. Run \`ratelimit-contract lint ${spec.source}\` to find the problem.`,
    );
  }
  const info = spec.document.info as { title?: string; version?: string } | undefined;
  const definition: ApiDefinition = {
    title: `${info?.title ?? 'API'} ${info?.version ?? ''}`.trim(),
    source: spec.source,
    profile: profile?.name,
    policy,
    limitSource,
    operations: catalog.catalog.operations,
    credentials,
    catalogFrom: catalog.from,
  };
  return { definition, spec };
}
