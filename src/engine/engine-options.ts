import type { BudgetStore } from '../core/budget-store.js';
import type { Clock } from '../core/clock.js';
import { RateLimitContractError } from '../core/errors.js';
import type { OptionSpelling } from '../core/option-names.js';
import type { Algorithm } from '../core/policy.js';
import type { CredentialsFile } from '../openapi/credentials.js';
import type { ProfileName } from '../openapi/profiles.js';
import type { StoreFaultMode } from './store-fault.js';

/**
 * What an API answers like: the one options type behind the mock server, the nock helper and the MSW
 * handlers (each adds only where it lives). Resolved once, by `loadApiDefinition`: file paths against the
 * working directory, then spec < env vars the policy declares < these options.
 */
export interface EngineOptions {
  /** An embedded API: `authmatech` or `reconlayer`. Default `reconlayer` when no spec is given (the mock). */
  profile?: ProfileName;
  /** Your own OpenAPI file with an `x-rate-limit` extension; a relative path is read from the working directory (`process.cwd()`). */
  spec?: string;
  /** A credentials file path (a relative one is read from the working directory) or its parsed content; the profile's fixtures by default. */
  credentials?: string | CredentialsFile;
  /** Overrides the policy's limit (wins over env vars). */
  limit?: number;
  /** Overrides the window: a string with a unit (`"10s"`, `"1m"`, `"1 minute"`), or a number of milliseconds. */
  window?: string | number;
  algorithm?: Algorithm;
  /** Env vars read for the policy's declared overrides (e.g. RATE_LIMIT_MAX). The mock reads process.env by default, the nock and MSW helpers none. */
  env?: Record<string, string | undefined>;
  /** Add x-ratelimit-* and retry-after headers when the policy promises none (Authmatech). */
  emitHeaders?: boolean;
  /** Key IP-keyed callers by the left-most X-Forwarded-For entry. Off: spoofed headers are ignored. */
  trustProxy?: boolean;
  /** IPv6 prefix length callers are keyed by (1–128; default 56, as express-rate-limit's `ipv6Subnet`). */
  ipv6Subnet?: number;
  /** Let the spec's `$ref`s read files outside its directory and fetch http(s) URLs (off: neither). */
  allowExternalRefs?: boolean;
  /** Validate requests against the spec with Prism (slower; answers 422 with the violations). */
  validate?: boolean;
  /** The clock behind budgets; real time (`Date.now()`, which fake timers move) by default. */
  clock?: Clock;
  /** The budget store; an in-memory LRU store by default. */
  store?: BudgetStore;
  /** Cap of the default store (least recently used keys are evicted past it). */
  maxKeys?: number;
  /**
   * How errors name these options: `options` (the default: "Pass { limit: 300 }") or `flags` ("Pass
   * --limit 300", as the CLI passes them). For a front end of your own that takes flags.
   */
  spelling?: OptionSpelling;
  /** While a shared store cannot answer: `closed` (default) answers limited requests 503, `open` serves them unlimited. */
  storeFault?: StoreFaultMode;
}

/** Options of `startMockServer` and of `ratelimit-contract mock` (flags map one to one). */
export interface MockServerOptions extends Omit<EngineOptions, 'store'> {
  /**
   * The budget store: a store object, or a Redis URL (`redis://host:port[/db]`) that replicas share, with
   * the clock and the idempotency records (see openRedisStore). In memory, in this process, by default.
   */
  store?: BudgetStore | string;
  /** Begins every Redis key (with a URL `store`): replicas of one API share it. Default `rlc:`. */
  storePrefix?: string;
  /** Port to listen on; 0 (the default here) picks a free one. The CLI defaults to 3001. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Turn on the test-control API at /__ratelimit. Off by default. */
  control?: boolean;
  /** Require this token (x-ratelimit-control-token) on control calls, from any address. */
  controlToken?: string;
  /** Receives each request log line; none when absent. */
  log?: (line: string) => void;
  /** A client that has not sent its whole request head by then gets 408 (default 15000). */
  headersTimeoutMs?: number;
  /** How long `close()` lets in-flight requests finish before closing every connection (default 5000). */
  drainTimeoutMs?: number;
}

/** What the in-process helpers (nock, MSW) take of the engine's options: the API and its overrides. */
export type InterceptedApiOptions = Pick<
  EngineOptions,
  'profile' | 'spec' | 'credentials' | 'limit' | 'window' | 'algorithm' | 'env' | 'emitHeaders' | 'clock' | 'allowExternalRefs'
> & {
  /** The IP that unresolved credentials fall back to (requests in process have no socket). Default 127.0.0.1. */
  clientIp?: string;
  /**
   * Warn (console.warn) when a client call looks parked behind fake timers that nothing advances, after this
   * many real milliseconds without progress: the sign of a forgotten `settle()`. Default 1000; `false` turns it off.
   */
  warnUnsettledAfterMs?: number | false;
};

/** The in-process helpers have no default API: one of `profile` or `spec` must say which. */
export function requireApiChoice(options: Pick<EngineOptions, 'profile' | 'spec'>): void {
  if (options.profile !== undefined || options.spec !== undefined) return;
  throw new RateLimitContractError(
    'ERR_RLC_USAGE',
    'Failed to mock the API: neither profile nor spec was given. Pass { profile: "reconlayer" } or { spec: "openapi/my-api.yaml" }.',
  );
}
