/** How a request's budget key is derived (see the `key` field of the `x-rate-limit` extension). */
export type KeyRule =
  | { by: 'ip' }
  | { by: 'header'; header: string; principal: string; fallback: 'ip' }
  | { by: 'principal'; header: string; scheme?: string; principal: string; fallback: 'ip' };

export type Algorithm = 'fixed-window' | 'sliding-window' | 'token-bucket';

/**
 * How many units a request spends: a whole number, or read from the request (an LLM's `max_tokens` in
 * the JSON body), with `default` when the field is missing or not a whole number ≥ 0.
 */
export type Cost = number | { from: 'body' | 'query' | 'header'; name: string; default: number };

/** The header names of the `named` style; an absent name is never sent. */
export interface HeaderNames {
  limit?: string;
  remaining?: string;
  /** When the window resets, in the format's `reset` form. */
  reset?: string;
  /** Units used in the window (GitHub's `x-ratelimit-used`): limit − remaining. */
  used?: string;
  /** The name of the limit the other headers describe (GitHub's `x-ratelimit-resource`). */
  resource?: string;
  /** Seconds to wait (or an HTTP-date), on a rejection only. */
  retryAfter?: string;
}

/**
 * How a policy writes its headers. `named`: headers of your choosing (`x-ratelimit-*`, `x-quota-*`, per
 * limit, GitHub's, OpenAI's). The IETF styles write the fields of one draft of
 * draft-ietf-httpapi-ratelimit-headers: `draft-6` RateLimit-Limit/-Remaining/-Reset + RateLimit-Policy;
 * `draft-7` RateLimit (a Dictionary) + RateLimit-Policy; `draft-8` and `draft-12` RateLimit and
 * RateLimit-Policy as Lists of named policies (express-rate-limit 8's `draft-8`, the current draft).
 */
export type HeaderStyle = 'named' | 'draft-6' | 'draft-7' | 'draft-8' | 'draft-12';

/** `seconds` until the reset (ReconLayer), `epoch-seconds` (GitHub), or a `duration` such as `6m0s` (OpenAI). */
export type ResetFormat = 'seconds' | 'epoch-seconds' | 'duration';

/** `seconds` (delay-seconds) or an `http-date` (RFC 9110 §10.2.3). */
export type RetryAfterFormat = 'seconds' | 'http-date';

/** Everything about the headers a policy sends, resolved. */
export interface HeaderFormat {
  style: HeaderStyle;
  /** Names of the `named` style, shared by the limits without names of their own; only `retryAfter` in the IETF styles. */
  names: HeaderNames;
  resetFormat: ResetFormat;
  retryAfterFormat: RetryAfterFormat;
  /** draft-8/draft-12: add a `pk` partition key (as express-rate-limit 8 does). */
  partitionKey: boolean;
}

/** A rejection: status, content type and body (strings may hold placeholders, see rejection-body.ts). */
export interface Rejection {
  status: number;
  contentType: string;
  body: unknown;
  /** Whether the rejection carries the format's retry-after header (GitHub's primary limit sends none). */
  retryAfter: boolean;
}

/** One limit: a budget of `limit` units per `windowMs`, per key. */
export interface LimitPolicy {
  /** Unique within the policy; names the limit in headers (draft-8/12, `resource`), errors and budgets. */
  name: string;
  limit: number;
  windowMs: number;
  algorithm: Algorithm;
  key: KeyRule;
  /** The limit for requests the key falls back to the IP for (no credential): GitHub's 60/h unauthenticated. */
  fallbackLimit?: number;
  cost: Cost;
  /** What a unit is: `requests` (default), `tokens`…; draft-8/12 report other units as `qu`. */
  unit: string;
  /** `shared`: one budget per key across every operation the limit applies to; `operation`: one per operation. */
  bucket: 'shared' | 'operation';
  /** False: the limit sends no rate-limit headers (GitHub's secondary limits). */
  report: boolean;
  /** Names of its own (`named` style: OpenAI's `x-ratelimit-limit-tokens`); else the format's shared names. */
  headers?: HeaderNames;
  rejection: Rejection;
}

/** What an operation's own `x-rate-limit` changes: limits added or overridden (by name), a cost, inheritance. */
export interface OperationPolicy {
  /** Upper case. */
  method: string;
  /** The path template, e.g. `/search/code`. */
  path: string;
  /** JSON pointer of the operation's `x-rate-limit`, named in errors. */
  pointer: string;
  /** Whether the root limits apply too (default true); false: only the operation's own limits. */
  inherit: boolean;
  /** Units every applying limit spends here, unless a limit override sets its own. */
  cost?: Cost;
  /** New limits (complete), or overrides of root limits by name (only the fields given). */
  limits: Array<Partial<Omit<LimitPolicy, 'name'>> & { name: string }>;
}

/**
 * What a rejected request spends. `atomic`: nothing (all limits are checked, then all are spent, in one
 * store step). `in-order`: the limits run one after another like stacked middlewares, so those before
 * the rejecting one have spent (and those after it were never asked).
 */
export type Stacking = 'atomic' | 'in-order';

/** The rate-limit policy of one API, read from the spec's `x-rate-limit` extensions and resolved. */
export interface RateLimitPolicy {
  /** The root limits, in the order they are checked; the first one that cannot take a request decides its rejection. */
  limits: LimitPolicy[];
  /** Operations with an `x-rate-limit` of their own. */
  operations: OperationPolicy[];
  /** Path patterns that spend budget: `*` is one segment, `**` one or more. */
  include: string[];
  /** Path patterns that are never limited, matched exactly against a clean path. */
  exempt: string[];
  headers: HeaderFormat;
  /** Env vars a deployment uses to override the first limit's limit and window (ReconLayer: RATE_LIMIT_MAX/RATE_LIMIT_WINDOW). */
  env: { limit?: string; window?: string };
  stacking: Stacking;
  /** The root rejection: every limit's unless it has its own; also a scripted 429 off the limited scope. */
  rejection: Rejection;
}
