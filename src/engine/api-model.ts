import type { BudgetStore } from '../core/budget-store.js';
import { type Clock, type ControllableClock, createControllableClock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import { createKeyResolver, type KeyResolver, type RequestHeaders } from '../core/key-resolver.js';
import { createLimiter, type Limiter } from '../core/limiter.js';
import type { RateLimitPolicy } from '../core/policy.js';
import { buildPrincipalIndex } from '../core/principal-index.js';
import { headerNameSet } from '../core/rate-limit-headers.js';
import { createRejectionBody, rejectionSeconds } from '../core/rejection-body.js';
import { createScopeClassifier } from '../core/scope.js';
import { createAuthenticator } from '../mock/authenticate.js';
import type { RequestToValidate, RequestViolation } from '../render/validate-with-prism.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { ApiDefinition } from './api-definition.js';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency.js';
import { createMapStore } from './map-store.js';
import { type PreparedOperation, type PreparedResponse, prepareOperations, textResponse } from './prepared-responses.js';
import { createRouter, type RouteMatch } from './router.js';
import { createScriptQueue, type ScriptQueue } from './script-queue.js';
import { type ClassifiedTarget, createTargetCache } from './target-cache.js';

/** Checks a request against the spec (Prism, `--validate`); node only, so it is passed in. */
export type RequestValidator = (request: RequestToValidate) => Promise<RequestViolation[]>;

/** How an engine runs, beside what it models: time, budgets, proxies, validation. */
export interface EngineRuntimeOptions {
  /** The clock behind budgets; real time (`Date.now()`, which fake timers move) by default. */
  clock?: Clock;
  /** The budget store; the in-memory LRU store by default (a map store where node's timers are missing). */
  store?: BudgetStore;
  /** Cap of the default store. */
  maxKeys?: number;
  /** Key IP-keyed callers by the left-most X-Forwarded-For entry. */
  trustProxy?: boolean;
  /** IPv6 prefix length callers are grouped by (default 56). */
  ipv6Subnet?: number;
  validate?: RequestValidator;
}

/** One API, built once from its definition: everything `respond()` reads, and the state it keeps. */
export interface ApiModel {
  policy: RateLimitPolicy;
  operations: PreparedOperation[];
  clock: ControllableClock;
  store: BudgetStore;
  limiter: Limiter;
  /** Parses and classifies a request target (memoized; see target-cache.ts). */
  classifyUrl(url: string): ClassifiedTarget;
  resolveKey: KeyResolver;
  route(method: string, path: string): RouteMatch<PreparedOperation>;
  authenticate(headers: RequestHeaders): string | undefined;
  /** The policy's rejection (status, body, content type) for a decision; its rate-limit headers are the caller's. */
  rejection(decision: Decision): PreparedResponse;
  idempotency: IdempotencyStore;
  scripts: ScriptQueue;
  validate: RequestValidator | undefined;
  /** The next number for a created resource's id: one sequence per API, whatever the transport. */
  nextCreatedId(): number;
}

/** Rejections differ only by the seconds they speak of, so each is built once (a 429 flood costs no JSON). */
function createRejections(policy: RateLimitPolicy): (decision: Decision) => PreparedResponse {
  const body = createRejectionBody(policy);
  const { status, contentType } = policy.rejection;
  const bySeconds = new Map<number, PreparedResponse>();
  return (decision) => {
    const seconds = rejectionSeconds(decision);
    let response = bySeconds.get(seconds);
    if (response === undefined) {
      if (bySeconds.size >= 4096) bySeconds.clear();
      response = textResponse(status, body(decision), contentType);
      bySeconds.set(seconds, response);
    }
    return response;
  };
}

const defaultStore = (clock: Clock, maxKeys: number | undefined): BudgetStore =>
  typeof setImmediate === 'function' ? createMemoryStore({ clock, maxKeys }) : createMapStore({ maxKeys });

/** Builds the model of an API from its definition (no I/O: a browser can run it too). */
export function buildApiModel(definition: ApiDefinition, options: EngineRuntimeOptions = {}): ApiModel {
  const { policy } = definition;
  const clock = createControllableClock(options.clock);
  const store = options.store ?? defaultStore(clock, options.maxKeys);
  const principals = definition.credentials ? buildPrincipalIndex(policy.key, definition.credentials) : undefined;
  const operations = prepareOperations(definition.operations, headerNameSet(policy.headers));
  let createdCount = 0;
  return {
    policy,
    operations,
    clock,
    store,
    limiter: createLimiter(policy, store, clock),
    classifyUrl: createTargetCache(createScopeClassifier(policy)),
    resolveKey: createKeyResolver(policy.key, { principals, trustProxy: options.trustProxy, ipv6Subnet: options.ipv6Subnet }),
    route: createRouter(operations),
    authenticate: createAuthenticator(definition.credentials),
    rejection: createRejections(policy),
    idempotency: createIdempotencyStore({ clock }),
    scripts: createScriptQueue(),
    validate: options.validate,
    nextCreatedId: () => ++createdCount,
  };
}
