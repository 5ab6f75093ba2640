import type { BudgetStore } from '../core/budget-store.js';
import { type Clock, type ControllableClock, createControllableClock } from '../core/clock.js';
import { allSentHeaderNames } from '../core/headers/header-names.js';
import { createKeyResolver, type KeyResolver, type RequestHeaders } from '../core/key-resolver.js';
import { limitsFor, operationPolicyOf } from '../core/operation-policy.js';
import type { LimitPolicy, RateLimitPolicy } from '../core/policy.js';
import { buildPrincipalIndex } from '../core/principal-index.js';
import { createScopeClassifier } from '../core/scope.js';
import { createAuthenticator } from '../mock/authenticate.js';
import type { RequestToValidate, RequestViolation } from '../render/validate-with-prism.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { ApiDefinition } from './api-definition.js';
import { createIdempotencyStore } from './idempotency.js';
import { type IdempotencyRecords, localIdempotencyRecords, sharedIdempotencyRecords } from './idempotency-records.js';
import { createLimitSet, type LimitContext, type LimitSet, limitRuntime } from './limit-set.js';
import { createMapStore } from './map-store.js';
import { type PreparedOperation, prepareOperations } from './prepared-responses.js';
import { createRouter, type RouteMatch } from './router.js';
import { createScriptQueue, type ScriptQueue } from './script-queue.js';
import { sha256Hex } from './sha256.js';
import type { StoreFaultMode } from './store-fault.js';
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
  /** What a limited request gets while a shared store cannot answer (store-fault.ts): `closed` by default. */
  storeFault?: StoreFaultMode;
  /** Key IP-keyed callers by the left-most X-Forwarded-For entry. */
  trustProxy?: boolean;
  /** IPv6 prefix length callers are grouped by (default 56). */
  ipv6Subnet?: number;
  validate?: RequestValidator;
}

/** An operation with its responses ready to send and the limits that apply to it. */
export type LimitedOperation = PreparedOperation & { limits: LimitSet };

/** One API, built once from its definition: everything `respond()` reads, and the state it keeps. */
export interface ApiModel {
  policy: RateLimitPolicy;
  operations: LimitedOperation[];
  clock: ControllableClock;
  store: BudgetStore;
  /** The root limits: requests that no operation matches spend these. */
  rootLimits: LimitSet;
  /** Every limit set of the API (the root's first), e.g. to find a limit by name. */
  limitSets: readonly LimitSet[];
  /** The limits a request spends: its operation's (routing only when operations differ). */
  limitsOf(method: string, path: string): LimitSet;
  /** Parses and classifies a request target (memoized; see target-cache.ts). */
  classifyUrl(url: string): ClassifiedTarget;
  /** The client key of the first root limit (the idempotency owner off the limited scope). */
  resolveKey: KeyResolver;
  route(method: string, path: string): RouteMatch<LimitedOperation>;
  authenticate(headers: RequestHeaders): string | undefined;
  /** In this process, or in the shared store beside the budgets (so a retry on another replica replays). */
  idempotency: IdempotencyRecords;
  storeFault: StoreFaultMode;
  scripts: ScriptQueue;
  validate: RequestValidator | undefined;
  /** The next number for a created resource's id: one sequence per API, whatever the transport. */
  nextCreatedId(): number;
}

const defaultStore = (clock: Clock, maxKeys: number | undefined): BudgetStore =>
  typeof setImmediate === 'function' ? createMemoryStore({ clock, maxKeys }) : createMapStore({ maxKeys });

const encoder = new TextEncoder();
/** draft-8/12 `pk`: as express-rate-limit 8 builds it, the first 12 hex digits of the key's SHA-256, as bytes. */
const partitionKeyOf = (key: string): Uint8Array => encoder.encode(sha256Hex(encoder.encode(key)).slice(0, 12));

/** Key resolvers per key rule, and store buckets: what the limit runtimes share. */
function limitContext(definition: ApiDefinition, options: EngineRuntimeOptions, buckets: Set<string>): LimitContext {
  const resolvers = new Map<string, KeyResolver>();
  const single = buckets.size <= 1;
  return {
    resolverFor(limit) {
      const id = JSON.stringify(limit.key);
      let resolver = resolvers.get(id);
      if (resolver === undefined) {
        const principals = definition.credentials ? buildPrincipalIndex(limit.key, definition.credentials) : undefined;
        resolver = createKeyResolver(limit.key, { principals, trustProxy: options.trustProxy, ipv6Subnet: options.ipv6Subnet });
        resolvers.set(id, resolver);
      }
      return resolver;
    },
    bucketOf(limit, operation) {
      const bucket = bucketId(limit, operation);
      return { bucket, prefix: single ? '' : `${bucket}|` };
    },
  };
}

/** A limit's store bucket: its name, or one per operation (`|` is escaped: it ends the prefix). */
const bucketId = (limit: LimitPolicy, operation: string | undefined) =>
  limit.bucket === 'operation' ? `${limit.name}@${(operation ?? '*').replace(/\|/g, '%7C')}` : limit.name;

/** Builds the model of an API from its definition (no I/O: a browser can run it too). */
export function buildApiModel(definition: ApiDefinition, options: EngineRuntimeOptions = {}): ApiModel {
  const { policy } = definition;
  // A shared store keeps the time (one clock for every replica); its clock is the engine's.
  const clock = options.store?.clock ?? createControllableClock(options.clock);
  const store = options.store ?? defaultStore(clock, options.maxKeys);
  const limitsOfOperation = (op: { method: string; path: string }) => limitsFor(policy, operationPolicyOf(policy, op.method, op.path));
  const everyLimit = [...policy.limits, ...definition.operations.flatMap(limitsOfOperation)];
  const prepared = prepareOperations(definition.operations, allSentHeaderNames(policy.headers, everyLimit));
  const label = (op: { method: string; path: string }) => `${op.method.toUpperCase()} ${op.path}`;
  const buckets = new Set([
    ...policy.limits.map((l) => bucketId(l, undefined)),
    ...prepared.flatMap((op) => limitsOfOperation(op).map((l) => bucketId(l, label(op)))),
  ]);
  const context = limitContext(definition, options, buckets);
  const setOf = (limits: LimitPolicy[], operation: string | undefined) =>
    createLimitSet(
      limits.map((limit) => limitRuntime(limit, context, operation)),
      policy.headers,
      partitionKeyOf,
    );
  const rootLimits = setOf(policy.limits, undefined);
  // Without per-operation parts every request spends the root limits, so respond() need not route first.
  const uniform = policy.operations.length === 0 && policy.limits.every((l) => l.bucket === 'shared');
  const operations: LimitedOperation[] = prepared.map((op) => Object.assign(op, { limits: uniform ? rootLimits : setOf(limitsOfOperation(op), label(op)) }));
  const route = createRouter(operations);
  let createdCount = 0;
  return {
    policy,
    operations,
    clock,
    store,
    rootLimits,
    limitSets: [rootLimits, ...operations.map((op) => op.limits).filter((set) => set !== rootLimits)],
    limitsOf: uniform
      ? () => rootLimits
      : (method, path) => {
          const match = route(method, path);
          return match.kind === 'found' ? match.value.limits : rootLimits;
        },
    classifyUrl: createTargetCache(createScopeClassifier(policy)),
    resolveKey: context.resolverFor(policy.limits[0] as LimitPolicy),
    route,
    authenticate: createAuthenticator(definition.credentials),
    idempotency: store.records ? sharedIdempotencyRecords(store.records) : localIdempotencyRecords(createIdempotencyStore({ clock })),
    storeFault: options.storeFault ?? 'closed',
    scripts: createScriptQueue(),
    validate: options.validate,
    nextCreatedId: () => ++createdCount,
  };
}
