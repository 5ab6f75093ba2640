import type { BudgetStore } from '../core/budget-store.js';
import type { Clock } from '../core/clock.js';
import type { Algorithm } from '../core/policy.js';
import type { CredentialsFile } from '../openapi/credentials.js';

/** Options of `startMockServer` and of `ratelimit-contract mock` (flags map one to one). */
export interface MockServerOptions {
  /** An embedded API: `authmatech` or `reconlayer`. Default `reconlayer` when no spec is given. */
  profile?: import('../openapi/profiles.js').ProfileName;
  /** Your own OpenAPI file with an `x-rate-limit` extension. */
  spec?: string;
  /** A credentials file path or its parsed content; the profile's fixtures by default. */
  credentials?: string | CredentialsFile;
  /** Port to listen on; 0 (the default here) picks a free one. The CLI defaults to 3001. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Overrides the policy's limit (wins over env vars). */
  limit?: number;
  /** Overrides the window: `10s`, `1m`, `1 minute`, or milliseconds. */
  window?: string | number;
  algorithm?: Algorithm;
  /** Env vars read for the policy's declared overrides (e.g. RATE_LIMIT_MAX). Default process.env. */
  env?: Record<string, string | undefined>;
  /** Key IP-keyed callers by the left-most X-Forwarded-For entry. Off: spoofed headers are ignored. */
  trustProxy?: boolean;
  /** Turn on the test-control API at /__ratelimit. Off by default. */
  control?: boolean;
  /** Require this token (x-ratelimit-control-token) on control calls, from any address. */
  controlToken?: string;
  /** Validate requests against the spec with Prism (slower; answers 422 with the violations). */
  validate?: boolean;
  /** Add x-ratelimit-* and retry-after headers when the policy promises none (Authmatech). */
  emitHeaders?: boolean;
  /** The clock behind budgets; the control API can freeze and advance it. */
  clock?: Clock;
  /** The budget store; an in-memory LRU store by default. */
  store?: BudgetStore;
  /** Cap of the default store (least recently used keys are evicted past it). */
  maxKeys?: number;
  /** Receives each request log line; none when absent. */
  log?: (line: string) => void;
}
