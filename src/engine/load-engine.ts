import { readIpv6Subnet } from '../core/client-ip.js';
import { optionLabel, requirePositiveWholeNumber } from '../core/option-names.js';
import type { LoadedSpec } from '../openapi/load-spec.js';
import { createPrismValidator } from '../render/validate-with-prism.js';
import { createEngine, type Engine } from './create-engine.js';
import type { EngineOptions } from './engine-options.js';
import { loadApiDefinition } from './load-api-definition.js';

/**
 * Loads an API from files and builds its engine (node): the definition (resolved once), Prism's validator
 * when `validate` is on, and the runtime (clock, store, proxies), whose options are checked here, named
 * as `options.spelling` says. Also returns the loaded spec.
 */
export async function loadEngine(options: EngineOptions): Promise<{ engine: Engine; spec: LoadedSpec }> {
  const spelling = options.spelling ?? 'options';
  const maxKeys = options.maxKeys === undefined ? undefined : requirePositiveWholeNumber(options.maxKeys, optionLabel('maxKeys', spelling), 100_000);
  const ipv6Subnet = readIpv6Subnet(options.ipv6Subnet, optionLabel('ipv6Subnet', spelling));
  const { definition, spec } = await loadApiDefinition(options);
  const validate = options.validate ? await createPrismValidator(spec) : undefined;
  const engine = createEngine(definition, {
    clock: options.clock,
    store: options.store,
    storeFault: options.storeFault,
    maxKeys,
    trustProxy: options.trustProxy,
    ipv6Subnet,
    validate,
  });
  return { engine, spec };
}
