/** How a request's budget key is derived (see the `key` field of the `x-rate-limit` extension). */
export type KeyRule =
  | { by: 'ip' }
  | { by: 'header'; header: string; principal: string; fallback: 'ip' }
  | { by: 'principal'; header: string; scheme?: string; principal: string; fallback: 'ip' };

export type Algorithm = 'fixed-window' | 'sliding-window' | 'token-bucket';

/** Header names a policy sends; an absent name is never sent. */
export interface HeaderNames {
  limit?: string;
  remaining?: string;
  /** Seconds until the window resets. */
  reset?: string;
  /** Seconds to wait, on a rejection only. */
  retryAfter?: string;
}

/** The rate-limit policy of one API, read from the spec's `x-rate-limit` extension and resolved. */
export interface RateLimitPolicy {
  limit: number;
  windowMs: number;
  algorithm: Algorithm;
  key: KeyRule;
  /** Path patterns that spend budget: `*` is one segment, `**` one or more. */
  include: string[];
  /** Path patterns that are never limited, matched exactly against a clean path. */
  exempt: string[];
  headers: HeaderNames;
  /** Env vars a deployment uses to override the limit and window (ReconLayer: RATE_LIMIT_MAX/RATE_LIMIT_WINDOW). */
  env: { limit?: string; window?: string };
  rejection: { status: number; contentType: string; body: unknown };
}
