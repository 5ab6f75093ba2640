import type { CheckContext } from './check-context.js';

/** One request the suite sends. The target is sent verbatim: dot segments, `//` and escapes stay as written. */
export interface ProbeRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Source address, e.g. 127.0.0.2, to act as another client IP (loopback targets only). */
  localAddress?: string;
}

/** A response as checks read it: lower-case header names, repeated headers joined with ", ". */
export interface ProbeResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** One request and its response, stamped on the budget clock and labelled for failure messages. */
export interface Exchange {
  request: ProbeRequest;
  response: ProbeResponse;
  sentAtMs: number;
  receivedAtMs: number;
  /** Who sent it, e.g. `org_acme (credential 2 of 2)` or `anonymous from 127.0.0.3`. */
  caller: string;
  /** Where it sits in its sequence, e.g. `request 6 of 6`. */
  step?: string;
}

/** What a failed check reports: enough to fix the server without reading this package's source. */
export interface FailureDetail {
  /** One sentence: what the server did wrong. */
  summary: string;
  expected: string;
  actual: string;
  /** The request that showed it. */
  exchange?: Exchange;
}

/**
 * One conformance check, as data: a stable id, a title, the documentation clause it enforces (quoted),
 * and an async function over the target. The vitest adapter and the CLI run the same list.
 */
export interface ConformanceCheck {
  /** Stable, e.g. `reconlayer/retry-after-on-429`; used in skip lists and reports. */
  id: string;
  title: string;
  /** The doc sentence this check enforces, quoted. */
  clause: string;
  run(ctx: CheckContext): Promise<void>;
}

/** The id, title and doc clause a profile gives to a check built from a shared factory. */
export type CheckText = Pick<ConformanceCheck, 'id' | 'title' | 'clause'>;

export type CheckStatus = 'passed' | 'failed' | 'skipped';

/** The outcome of one check. */
export interface CheckResult {
  id: string;
  title: string;
  clause: string;
  status: CheckStatus;
  durationMs: number;
  /** Why it was skipped (from the skip list, or because the setup cannot exercise it). */
  reason?: string;
  failure?: FailureDetail;
}

/** Thrown by `ctx.fail`; the runner turns it into a failed result. */
export class CheckFailure extends Error {
  readonly detail: FailureDetail;
  constructor(detail: FailureDetail) {
    super(detail.summary);
    this.name = 'CheckFailure';
    this.detail = detail;
  }
}

/** Thrown by `ctx.skip`; the runner turns it into a skipped result with the reason. */
export class CheckSkipped extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CheckSkipped';
  }
}
