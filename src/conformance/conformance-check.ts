import type { CheckContext } from './check-context.js';
import type { RecordedExchanges } from './recorded-exchange.js';

/** One request the suite sends. The target is sent verbatim: dot segments, `//` and escapes stay as written. */
export interface ProbeRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Source address, e.g. 127.0.0.2, to act as another client IP (loopback targets only). */
  localAddress?: string;
  /**
   * Which connection carries it: `fresh` opens a new one (closed after), a number names a keep-alive
   * socket of its own (1, 2, …); by default one shared keep-alive pool per source address.
   */
  connection?: 'fresh' | number;
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
  /**
   * What this failure reveals about the server that later checks must not misread (a limit other than the
   * declared one, budgets shared between principals, several counters, a lock-out); recorded by the runner.
   */
  finding?: FindingKind;
  /** Findings (recorded by earlier checks) that would explain this failure; defaults to the check's `blockedBy`. */
  explainedBy?: readonly FindingKind[];
}

/**
 * Something a failed check established about the server that invalidates what later checks assume:
 * - `limit`: one connection gets another number of requests per window than the declared limit;
 * - `counters`: the budget is not one counter (several replicas or processes, or a store that is not atomic);
 * - `keying`: principals do not have budgets of their own (keyed by IP, or one budget for all);
 * - `lockout`: a spent budget is not back one window after its first request.
 */
export type FindingKind = 'limit' | 'counters' | 'keying' | 'lockout';

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
  /**
   * Findings of earlier checks that explain a failure of this one: it is then reported as blocked by the
   * check that made the finding, instead of blaming what it would otherwise blame.
   */
  blockedBy?: readonly FindingKind[];
  /**
   * Work that may start ahead, before the check runs (real clock only), e.g. a late-window scenario. It
   * starts once every `foundation` check has run, so that it never disturbs what they establish.
   */
  prepare?(ctx: CheckContext): void;
  /** A check that establishes what later checks rely on (the limit, one counter, budgets per principal). */
  foundation?: boolean;
}

/** The id, title and doc clause a profile gives to a check built from a shared factory. */
export type CheckText = Pick<ConformanceCheck, 'id' | 'title' | 'clause'>;

/** `blocked`: the check failed in a way an earlier failed check explains (see `blockedBy`). */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'blocked';

/** The outcome of one check. */
export interface CheckResult {
  id: string;
  title: string;
  clause: string;
  status: CheckStatus;
  durationMs: number;
  /** Why it was skipped (from the skip list, or because the setup cannot exercise it), or what blocked it. */
  reason?: string;
  /** The id of the failed check whose finding explains this one's failure (status `blocked`). */
  blockedBy?: string;
  failure?: FailureDetail;
  /**
   * The requests the check sent, and those of the shared scenarios it read (bounded: the first and last
   * ones, and a count), for reports that show them (the HTML report). Absent for checks that did not run.
   */
  exchanges?: RecordedExchanges;
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
