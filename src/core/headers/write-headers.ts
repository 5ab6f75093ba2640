import type { Decision } from '../decision.js';
import type { HeaderFormat, HeaderNames, LimitPolicy } from '../policy.js';
import { compileFieldTemplate, placeholder } from './field-template.js';
import {
  type QuotaPolicyItem,
  RATELIMIT,
  RATELIMIT_LIMIT,
  RATELIMIT_POLICY,
  RATELIMIT_REMAINING,
  RATELIMIT_RESET,
  serializeDraft7,
  serializeIntegerPolicies,
  serializeNamedPolicies,
  serializeServiceLimits,
} from './ietf-fields.js';
import { tightestIndex } from './tightest.js';
import { writeReset, writeRetryAfter } from './time-values.js';
import { intText, toWholeSeconds } from './whole-numbers.js';

/** A rejection as the headers tell it: the limit that decided it, and how long to wait. */
export interface RejectionInfo {
  index: number;
  retryAfterMs: number;
}

/**
 * Writes the rate-limit headers of one response as a flat [name, value, …] list (node's writeHead form),
 * from one decision per limit (aligned with the limits the writer was made for). `rejection` is set on a
 * rejection only: it adds retry-after. `keys` (the budget keys) feed draft-8/12 partition keys.
 */
export type HeaderWriter = (decisions: readonly Decision[], nowMs: number, rejection?: RejectionInfo, keys?: readonly string[]) => string[];

export interface HeaderWriterOptions {
  /** The partition key of a budget key (draft-8/12 `pk`), when the format asks for one. */
  partitionKeyOf?: (key: string) => Uint8Array;
}

const NONE: string[] = [];

function namedFields(out: string[], names: HeaderNames, format: HeaderFormat, limit: LimitPolicy, d: Decision, nowMs: number, resource: boolean): void {
  if (names.limit) out.push(names.limit, intText(d.limit));
  if (names.remaining) out.push(names.remaining, intText(d.remaining));
  if (names.reset) out.push(names.reset, writeReset(format.resetFormat, d.resetMs, nowMs));
  if (names.used) out.push(names.used, intText(Math.max(0, d.limit - d.remaining)));
  if (resource && names.resource) out.push(names.resource, limit.name);
}

/**
 * Today's one-limit named headers (ReconLayer: "x-ratelimit-reset — Seconds until the current window
 * resets"; a 429 "adds a retry-after header (in seconds)"), with nothing computed that is not sent.
 */
function oneNamedLimit(format: HeaderFormat, limit: LimitPolicy): HeaderWriter | undefined {
  const { limit: l, remaining, reset, retryAfter, used, resource } = format.names;
  if (used || resource || format.resetFormat !== 'seconds' || format.retryAfterFormat !== 'seconds') return undefined;
  const sendRetryAfter = retryAfter !== undefined && limit.rejection.retryAfter;
  return (decisions, _nowMs, rejection) => {
    const d = decisions[0];
    if (d === undefined) return NONE;
    const out: string[] = [];
    if (l) out.push(l, intText(d.limit));
    if (remaining) out.push(remaining, intText(d.remaining));
    if (reset) out.push(reset, intText(toWholeSeconds(d.resetMs)));
    if (rejection && sendRetryAfter) out.push(retryAfter, intText(toWholeSeconds(rejection.retryAfterMs)));
    return out;
  };
}

/** Builds the header writer of a header format for the limits that apply to a request, in their order. */
export function createHeaderWriter(format: HeaderFormat, limits: readonly LimitPolicy[], options: HeaderWriterOptions = {}): HeaderWriter {
  const reporting = limits.flatMap((limit, i) => (limit.report ? [i] : []));
  const retryAfterName = format.names.retryAfter;
  const addRetryAfter = (out: string[], nowMs: number, rejection: RejectionInfo | undefined) => {
    if (rejection && retryAfterName && limits[rejection.index]?.rejection.retryAfter) {
      out.push(retryAfterName, writeRetryAfter(format.retryAfterFormat, rejection.retryAfterMs, nowMs));
    }
    return out;
  };
  const hasNames = (names: HeaderNames) => Boolean(names.limit || names.remaining || names.reset || names.used || names.resource);
  if (format.style === 'named') {
    const shared = hasNames(format.names) ? reporting.filter((i) => !limits[i]?.headers) : [];
    const own = reporting.filter((i) => limits[i]?.headers);
    const only = limits[0];
    if (limits.length === 1 && only && shared.length === 1) {
      const fast = oneNamedLimit(format, only);
      if (fast) return fast;
    }
    return (decisions, nowMs, rejection) => {
      const out: string[] = [];
      if (shared.length > 0) {
        const i = tightestIndex(shared, limits, decisions, rejection?.index);
        const d = decisions[i];
        const limit = limits[i];
        if (d && limit) namedFields(out, format.names, format, limit, d, nowMs, true);
      }
      for (const i of own) {
        const d = decisions[i];
        const limit = limits[i];
        if (d && limit?.headers) namedFields(out, limit.headers, format, limit, d, nowMs, false);
      }
      return addRetryAfter(out, nowMs, rejection);
    };
  }
  const policyItem = (i: number, quota: number, partitionKey: Uint8Array | undefined): QuotaPolicyItem => {
    const limit = limits[i] as LimitPolicy;
    return { name: limit.name, quota, windowSeconds: toWholeSeconds(limit.windowMs), unit: limit.unit, partitionKey };
  };
  const pkOf = (i: number, keys: readonly string[] | undefined) => {
    const key = keys?.[i];
    return format.partitionKey && key !== undefined ? options.partitionKeyOf?.(key) : undefined;
  };
  // The fields' shapes, serialised once by structured-headers with placeholder integers (field-template.ts).
  const n = reporting.length;
  const integerPolicies = compileFieldTemplate(serializeIntegerPolicies(reporting.map((i, at) => policyItem(i, placeholder(at), undefined))), n);
  const namedPolicies = compileFieldTemplate(serializeNamedPolicies(reporting.map((i, at) => policyItem(i, placeholder(at), undefined))), n);
  const serviceLimits = compileFieldTemplate(
    serializeServiceLimits(
      reporting.map((i, at) => ({ name: (limits[i] as LimitPolicy).name, remaining: placeholder(at), resetSeconds: placeholder(n + at) })),
    ),
    2 * n,
  );
  const draft7 = compileFieldTemplate(serializeDraft7(placeholder(0), placeholder(1), placeholder(2)), 3);
  if (format.style === 'draft-6' || format.style === 'draft-7') {
    const isDraft7 = format.style === 'draft-7';
    return (decisions, nowMs, rejection) => {
      if (reporting.length === 0) return addRetryAfter([], nowMs, rejection);
      const quotas = reporting.map((i) => (decisions[i] as Decision).limit);
      const policies = integerPolicies
        ? integerPolicies(quotas)
        : serializeIntegerPolicies(reporting.map((i, at) => policyItem(i, quotas[at] as number, undefined)));
      const d = decisions[tightestIndex(reporting, limits, decisions, rejection?.index)] as Decision;
      const resetSeconds = toWholeSeconds(d.resetMs);
      const out = isDraft7
        ? [RATELIMIT_POLICY, policies, RATELIMIT, draft7 ? draft7([d.limit, d.remaining, resetSeconds]) : serializeDraft7(d.limit, d.remaining, resetSeconds)]
        : [RATELIMIT_POLICY, policies, RATELIMIT_LIMIT, intText(d.limit), RATELIMIT_REMAINING, intText(d.remaining), RATELIMIT_RESET, intText(resetSeconds)];
      return addRetryAfter(out, nowMs, rejection);
    };
  }
  return (decisions, nowMs, rejection, keys) => {
    if (reporting.length === 0) return addRetryAfter([], nowMs, rejection);
    const quotas = reporting.map((i) => (decisions[i] as Decision).limit);
    const numbers = [
      ...reporting.map((i) => (decisions[i] as Decision).remaining),
      ...reporting.map((i) => toWholeSeconds((decisions[i] as Decision).resetMs)),
    ];
    if (!format.partitionKey && serviceLimits && namedPolicies) {
      return addRetryAfter([RATELIMIT, serviceLimits(numbers), RATELIMIT_POLICY, namedPolicies(quotas)], nowMs, rejection);
    }
    const pks = reporting.map((i) => pkOf(i, keys));
    const items = reporting.map((i, at) => policyItem(i, quotas[at] as number, pks[at]));
    const limitsField = serializeServiceLimits(
      reporting.map((i, at) => ({
        name: (limits[i] as LimitPolicy).name,
        remaining: numbers[at] as number,
        resetSeconds: numbers[n + at] as number,
        partitionKey: pks[at],
      })),
    );
    return addRetryAfter([RATELIMIT, limitsField, RATELIMIT_POLICY, serializeNamedPolicies(items)], nowMs, rejection);
  };
}
