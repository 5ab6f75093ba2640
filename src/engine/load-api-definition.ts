import { ALGORITHMS } from '../core/algorithms/index.js';
import { requireWindowMs } from '../core/duration.js';
import { RateLimitContractError } from '../core/errors.js';
import { type OptionSpelling, optionLabel, requirePositiveWholeNumber, showValue } from '../core/option-names.js';
import { applyOverrides, type PolicyOverrides, readEnvOverrides } from '../core/policy-overrides.js';
import { type LoadedSpec, loadSpec } from '../openapi/load-spec.js';
import { parseSpecPolicy } from '../openapi/spec-policy.js';
import { loadCatalog } from '../render/load-catalog.js';
import type { ApiDefinition } from './api-definition.js';
import { chooseApi, chooseCredentials } from './choose-api.js';
import type { EngineOptions } from './engine-options.js';

/** The options that override the policy, read once: each bad value is named as the user passed it. */
function optionOverrides(options: EngineOptions, spelling: OptionSpelling): PolicyOverrides {
  const overrides: PolicyOverrides = { emitHeaders: options.emitHeaders };
  if (options.limit !== undefined) overrides.limit = requirePositiveWholeNumber(options.limit, optionLabel('limit', spelling), 300);
  if (options.window !== undefined) overrides.windowMs = requireWindowMs(options.window, optionLabel('window', spelling));
  if (options.algorithm !== undefined) {
    if (!Object.hasOwn(ALGORITHMS, options.algorithm)) {
      const label = optionLabel('algorithm', spelling);
      throw new RateLimitContractError(
        'ERR_RLC_USAGE',
        `Failed to read ${label.name}: ${showValue(options.algorithm)} is not an algorithm. Pass ${label.passOneOf(Object.keys(ALGORITHMS))}.`,
      );
    }
    overrides.algorithm = options.algorithm;
  }
  return overrides;
}

/**
 * Resolves options into a definition, the one place that does so for the mock, the nock helper and the
 * MSW handlers: the API and its files (chooseApi: a relative `spec` or `credentials` is read from the
 * working directory), its policy under spec < env vars it declares < options, the credentials, and the
 * rendered responses. Errors name options as `options.spelling` says. Also returns the loaded spec.
 */
export async function loadApiDefinition(options: EngineOptions): Promise<{ definition: ApiDefinition; spec: LoadedSpec }> {
  const spelling = options.spelling ?? 'options';
  const chosen = chooseApi(options, spelling, 'reconlayer');
  const spec = loadSpec(chosen.specFile, { allowExternalRefs: options.allowExternalRefs, spelling });
  const base = parseSpecPolicy(spec.document, spec.source);
  const envOverrides = readEnvOverrides(base, options.env ?? process.env);
  const overrides = optionOverrides(options, spelling);
  const policy = applyOverrides(base, envOverrides, overrides);
  const limitSource = overrides.limit !== undefined ? optionLabel('limit', spelling).name : envOverrides.limit !== undefined ? `${base.env.limit}` : 'the spec';
  const credentials = chooseCredentials(options, chosen, spelling);
  const profile = chosen.profile;
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
