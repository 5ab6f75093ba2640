import type { BudgetEntry, StoreRule } from '../core/budget-store.js';
import type { Decision } from '../core/decision.js';
import { tightestIndex } from '../core/headers/tightest.js';
import { createHeaderWriter, type HeaderWriter, type RejectionInfo } from '../core/headers/write-headers.js';
import type { KeyResolver, RequestHeaders } from '../core/key-resolver.js';
import { storeRule } from '../core/limiter.js';
import type { HeaderFormat, LimitPolicy } from '../core/policy.js';
import { createRejectionBody, rejectionSeconds } from '../core/rejection-body.js';
import { type CostSource, createCostReader } from '../core/request-cost.js';
import { type PreparedResponse, textResponse } from './prepared-responses.js';

/** One limit as the engine runs it: its key resolver, store key prefix, rules and cost. */
export interface LimitRuntime {
  limit: LimitPolicy;
  /** The store bucket: the limit's name, or `name@METHOD path` for a per-operation budget. */
  bucket: string;
  /** Prepended to the client key to name the budget in the store; empty when the API has one bucket. */
  prefix: string;
  resolveKey: KeyResolver;
  rule: StoreRule;
  /** The rule for requests keyed by the IP fallback, when the limit has a fallbackLimit. */
  fallbackRule: StoreRule | undefined;
  cost: (source: CostSource) => number;
  /** Whether the cost is read from the body. */
  readsBody: boolean;
  /** The rejection's body, built once per (seconds, limit) it speaks of. */
  rejection(decision: Decision): PreparedResponse;
}

/** What the engine needs to build the runtime of a limit. */
export interface LimitContext {
  /** One resolver per key rule (shared by the limits with equal rules). */
  resolverFor(limit: LimitPolicy): KeyResolver;
  /** The bucket id and its store prefix. */
  bucketOf(limit: LimitPolicy, operation: string | undefined): { bucket: string; prefix: string };
}

/** Rejections differ only by the seconds (and limit) they speak of, so each is built once (a 429 flood costs no JSON). */
function createRejections(limit: LimitPolicy): (decision: Decision) => PreparedResponse {
  const body = createRejectionBody(limit);
  const { status, contentType } = limit.rejection;
  const built = new Map<number, PreparedResponse>();
  return (decision) => {
    // The seconds and the limit (a fallbackLimit differs) in one number: seconds below 2^32 × the limit.
    const id = rejectionSeconds(decision) * 0x1_0000_0000 + (decision.limit === limit.limit ? 0 : decision.limit);
    let response = built.get(id);
    if (response === undefined) {
      if (built.size >= 4096) built.clear();
      response = textResponse(status, body(decision), contentType);
      built.set(id, response);
    }
    return response;
  };
}

/** Builds the runtime of one limit. `operation` (`METHOD path`) names a per-operation bucket. */
export function limitRuntime(limit: LimitPolicy, context: LimitContext, operation: string | undefined): LimitRuntime {
  const { bucket, prefix } = context.bucketOf(limit, operation);
  const falls = limit.key.by !== 'ip' && limit.fallbackLimit !== undefined;
  return {
    limit,
    bucket,
    prefix,
    resolveKey: context.resolverFor(limit),
    rule: storeRule(limit),
    fallbackRule: falls ? storeRule({ ...limit, limit: limit.fallbackLimit as number }) : undefined,
    cost: createCostReader(limit.cost),
    readsBody: typeof limit.cost === 'object' && limit.cost.from === 'body',
    rejection: createRejections(limit),
  };
}

/** A request as a limit set reads it: its headers and socket address (an EngineCall is one). */
export interface LimitedCall {
  headers: RequestHeaders;
  clientAddress: string | undefined;
}

const decoder = new TextDecoder();

/**
 * The limits that apply to one operation (or to requests no operation matches), in order: the store
 * entries of a request, the headers of the decisions, and the rejection of the limit that decided.
 */
export interface LimitSet {
  readonly limits: readonly LimitRuntime[];
  /** Whether a request's cost is read from its body (so it must be read before the budget is spent). */
  readonly needsBody: boolean;
  /**
   * One store entry per limit; `reply.key` gets the client key of the first limit (the budget the reply
   * names). `query` and `body` (when the set needs it) feed costs read from the request.
   */
  entries(call: LimitedCall, query: string, body: Uint8Array | undefined, reply: { key: string | undefined }): BudgetEntry[];
  headers(decisions: readonly Decision[], nowMs: number, entries: readonly BudgetEntry[], rejection?: RejectionInfo): string[];
  /** Budget left as the attempt log keeps it: the limit the headers report (the tightest), or the first. */
  remaining(decisions: readonly Decision[], rejectedAt: number): number;
  /** Whether a rejection decided by limit `index` carries a retry-after header. */
  sendsRetryAfter(index: number): boolean;
}

/** Builds the limit set of some limits; `partitionKeyOf` feeds draft-8/12 `pk`. */
export function createLimitSet(runtimes: LimitRuntime[], format: HeaderFormat, partitionKeyOf: (key: string) => Uint8Array): LimitSet {
  const policies = runtimes.map((rt) => rt.limit);
  const writer: HeaderWriter = createHeaderWriter(format, policies, { partitionKeyOf });
  const reporting = policies.flatMap((l, i) => (l.report ? [i] : []));
  const candidates = reporting.length > 0 ? reporting : policies.map((_, i) => i);
  const needsBody = runtimes.some((rt) => rt.readsBody);
  const single = runtimes.length === 1 ? runtimes[0] : undefined;
  const withKeys = format.partitionKey;
  const ruleOf = (rt: LimitRuntime, key: string) => (rt.fallbackRule !== undefined && key.startsWith('ip:') ? rt.fallbackRule : rt.rule);
  // The common case (both profiles): one limit of a fixed cost in a one-bucket API, no fallback limit.
  const plain = single && typeof single.limit.cost === 'number' && single.prefix === '' && single.fallbackRule === undefined ? single : undefined;
  const plainCost = typeof plain?.limit.cost === 'number' ? plain.limit.cost : 1;
  return {
    limits: runtimes,
    needsBody,
    entries(call, query, body, reply) {
      if (plain) {
        const key = plain.resolveKey(call.headers, call.clientAddress);
        reply.key = key;
        return [{ key, rule: plain.rule, cost: plainCost }];
      }
      if (single && typeof single.limit.cost === 'number') {
        const key = single.resolveKey(call.headers, call.clientAddress);
        reply.key = key;
        return [{ key: single.prefix + key, rule: ruleOf(single, key), cost: single.limit.cost }];
      }
      let json: unknown;
      let parsed = false;
      const source: CostSource = {
        headers: call.headers,
        query,
        json() {
          if (!parsed) {
            parsed = true;
            try {
              json = body && body.length > 0 ? JSON.parse(decoder.decode(body)) : undefined;
            } catch {
              json = undefined;
            }
          }
          return json;
        },
      };
      return runtimes.map((rt, i) => {
        const key = rt.resolveKey(call.headers, call.clientAddress);
        if (i === 0) reply.key = key;
        return { key: rt.prefix + key, rule: ruleOf(rt, key), cost: rt.cost(source) };
      });
    },
    headers: withKeys
      ? (decisions, nowMs, entries, rejection) =>
          writer(
            decisions,
            nowMs,
            rejection,
            entries.map((e) => e.key),
          )
      : (decisions, nowMs, _entries, rejection) => writer(decisions, nowMs, rejection),
    remaining(decisions, rejectedAt) {
      if (single) return (decisions[0] as Decision).remaining;
      const at = tightestIndex(candidates, policies, decisions, rejectedAt >= 0 ? rejectedAt : undefined);
      return decisions[at]?.remaining ?? 0;
    },
    sendsRetryAfter: (index) => format.names.retryAfter !== undefined && (policies[index]?.rejection.retryAfter ?? false),
  };
}
