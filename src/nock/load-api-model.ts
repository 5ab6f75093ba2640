import type { BudgetStore } from '../core/budget-store.js';
import { type Clock, systemClock } from '../core/clock.js';
import { RateLimitContractError } from '../core/errors.js';
import { createKeyResolver, type KeyResolver } from '../core/key-resolver.js';
import { createLimiter, type Limiter } from '../core/limiter.js';
import type { Algorithm, RateLimitPolicy } from '../core/policy.js';
import { buildPrincipalIndex } from '../core/principal-index.js';
import { headerNameSet } from '../core/rate-limit-headers.js';
import { createRejectionBody } from '../core/rejection-body.js';
import { createScopeClassifier } from '../core/scope.js';
import { createAuthenticator } from '../mock/authenticate.js';
import { createIdempotencyStore } from '../mock/idempotency.js';
import { type PreparedOperation, prepareOperations } from '../mock/prepared-responses.js';
import { resolveMockConfig } from '../mock/resolve-mock-config.js';
import { createRouter } from '../mock/router.js';
import type { CredentialsFile } from '../openapi/credentials.js';
import { loadCatalog } from '../render/load-catalog.js';
import { createMemoryStore } from '../store/memory-store.js';

/** Which API to model and how: the same knobs as the mock server, minus the network. */
export interface ApiModelOptions {
  /** An embedded API: `authmatech` or `reconlayer`. */
  profile?: import('../openapi/profiles.js').ProfileName;
  /** Or your own OpenAPI file with an `x-rate-limit` extension. */
  spec?: string;
  /** A credentials file path or its content; the profile's fixtures by default. */
  credentials?: string | CredentialsFile;
  /** Overrides the policy's limit. */
  limit?: number;
  /** Overrides the window: `10s`, `1m`, or milliseconds. */
  window?: string | number;
  algorithm?: Algorithm;
  /** Env vars the policy reads (e.g. RATE_LIMIT_MAX). Default none, so tests do not depend on the shell. */
  env?: Record<string, string | undefined>;
  /** The budget clock; default `Date.now()`, which `vi.useFakeTimers()` moves. */
  clock?: Clock;
  /** The IP that unresolved credentials fall back to. Default 127.0.0.1. */
  clientIp?: string;
}

/** Everything a responder needs, built once from the spec, its catalog and the core. */
export interface ApiModel {
  policy: RateLimitPolicy;
  classify: ReturnType<typeof createScopeClassifier>;
  resolveKey: KeyResolver;
  clientIp: string;
  limiter: Limiter;
  store: BudgetStore;
  rejectionBody: ReturnType<typeof createRejectionBody>;
  route: ReturnType<typeof createRouter<PreparedOperation>>;
  authenticate: ReturnType<typeof createAuthenticator>;
  idempotency: ReturnType<typeof createIdempotencyStore>;
}

/** Loads a profile or spec into a model: policy, pre-rendered responses, a memory store on the clock. */
export async function loadApiModel(options: ApiModelOptions): Promise<ApiModel> {
  if (options.profile === undefined && options.spec === undefined) {
    throw new RateLimitContractError(
      'ERR_RLC_USAGE',
      'Failed to mock the API: neither profile nor spec was given. Pass { profile: "reconlayer" } or { spec: "openapi/my-api.yaml" }.',
    );
  }
  const config = resolveMockConfig({ ...options, env: options.env ?? {} });
  const { policy } = config;
  const { catalog } = await loadCatalog(config.spec.source, config.spec.text, config.responsesFixture);
  const operations = prepareOperations(catalog.operations, headerNameSet(policy.headers));
  const clock = options.clock ?? systemClock;
  const store = createMemoryStore({ clock });
  const principals = config.credentials ? buildPrincipalIndex(policy.key, config.credentials) : undefined;
  return {
    policy,
    classify: createScopeClassifier(policy),
    resolveKey: createKeyResolver(policy.key, { principals }),
    clientIp: options.clientIp ?? '127.0.0.1',
    limiter: createLimiter(policy, store, clock),
    store,
    rejectionBody: createRejectionBody(policy),
    route: createRouter(operations),
    authenticate: createAuthenticator(config.credentials),
    idempotency: createIdempotencyStore(),
  };
}
