import { sentHeaderNames } from '../core/headers/header-names.js';
import { loadSpec } from '../openapi/load-spec.js';
import { resolveNode, type SpecNode } from '../openapi/spec-operations.js';
import { parseSpecPolicy } from '../openapi/spec-policy.js';
import { HTTP_RETRY_RULES } from './profile-retry-rules.js';
import { type ClientPolicy, rejectionStatuses } from './response-budget.js';
import type { RetryRuleSet } from './retry-rules.js';
import { matchesStatus, type StatusPattern } from './status-patterns.js';

/** What a spec says beyond its policy: its title (rule sets name it) and the header that makes a write safe to retry. */
export interface SpecFacts {
  title?: string;
  idempotencyHeader?: string;
}

/** Whether any limit reports a remaining budget (a named remaining header, or an IETF field). */
function reportsRemaining(policy: ClientPolicy): boolean {
  if (policy.headers.style !== 'named') return sentHeaderNames(policy.headers, policy.limits).budget.length > 0;
  const reporting = policy.limits.filter((l) => l.report);
  return reporting.some((l) => (l.headers ? l.headers.remaining : policy.headers.names.remaining) !== undefined);
}

/**
 * The retry rules a spec implies, as data: HTTP's (wait what retry-after says, never repeat a request the
 * server called erroneous, do not hammer inside a 429's pause), plus what the policy declares:
 * - the statuses it rejects with are retryable, and a 429 must be retried (GitHub's 403 may be, and is no
 *   longer a status never to repeat);
 * - a policy that reports the remaining budget asks clients to pace (`no-pacing`), as ReconLayer's doc does;
 * - a rejection without retry-after is waited out until the reset, up to a window (how retries are grouped);
 * - a write is safe to retry with the idempotency header the spec's operations declare.
 * @example assertRetryLog(api.attempts, retryRulesFromPolicy(api.policy, { idempotencyHeader: 'idempotency-key' }));
 */
export function retryRulesFromPolicy(policy: ClientPolicy, facts: SpecFacts = {}, overrides: Partial<RetryRuleSet> = {}): RetryRuleSet {
  const statuses = [...rejectionStatuses(policy)];
  const retryable: StatusPattern[] = [...HTTP_RETRY_RULES.retryableStatuses, ...statuses.filter((s) => !matchesStatus(HTTP_RETRY_RULES.retryableStatuses, s))];
  const name = facts.title ?? 'the spec';
  const clause = (what: string) => `${name} (x-rate-limit): ${what}`;
  const pacing = reportsRemaining(policy);
  // A rejection without retry-after (GitHub's primary limit) is waited out until the reset: up to a window.
  const silent = [...policy.limits, ...(policy.operations ?? []).flatMap((op) => op.limits)].filter((l) => l.rejection?.retryAfter === false && l.windowMs);
  const unscheduledWaitMs = Math.max(HTTP_RETRY_RULES.unscheduledWaitMs, ...silent.map((l) => l.windowMs as number));
  const base: RetryRuleSet = {
    ...HTTP_RETRY_RULES,
    name,
    retryableStatuses: retryable,
    mustRetryStatuses: statuses.includes(429) ? [429] : [],
    neverRetryStatuses: HTTP_RETRY_RULES.neverRetryStatuses.filter((s) => typeof s !== 'number' || !statuses.includes(s)),
    idempotencyHeader: facts.idempotencyHeader,
    requirePacing: pacing,
    unscheduledWaitMs,
    clauses: {
      ...HTTP_RETRY_RULES.clauses,
      '429-not-retried': clause(`a rejection (${statuses.join(', ')}) says when to retry`),
      ...(pacing ? { 'no-pacing': clause('every limited response reports the budget left, so a client can slow down before it reaches 0') } : {}),
      ...(facts.idempotencyHeader
        ? {
            'non-idempotent-retry-without-key': clause(`writes declare ${facts.idempotencyHeader}, which makes a retried write safe`),
            'idempotency-key-changed': clause(`a retried write keeps its ${facts.idempotencyHeader}`),
            'retry-body-changed': clause(`a retried write keeps its ${facts.idempotencyHeader} and its body`),
          }
        : {}),
    },
  };
  return { ...base, ...overrides, clauses: { ...base.clauses, ...overrides.clauses } };
}

const METHODS = ['post', 'put', 'patch', 'delete'];

/** The idempotency header a spec's writes declare as a header parameter, if any (`Idempotency-Key`). */
function idempotencyHeaderOf(document: SpecNode): string | undefined {
  const paths = (document.paths ?? {}) as Record<string, unknown>;
  for (const rawItem of Object.values(paths)) {
    const item = resolveNode(document, rawItem);
    for (const method of METHODS) {
      const op = resolveNode(document, item?.[method]);
      for (const raw of [...(Array.isArray(item?.parameters) ? item.parameters : []), ...(Array.isArray(op?.parameters) ? op.parameters : [])]) {
        const p = resolveNode(document, raw);
        if (op && p?.in === 'header' && typeof p.name === 'string' && /^idempotency-key$/i.test(p.name)) return p.name.toLowerCase();
      }
    }
  }
  return undefined;
}

/**
 * The retry rules a spec file implies (see retryRulesFromPolicy): its policy, its title, and the
 * idempotency header its writes declare.
 * @example assertRetryLog(api.attempts, retryRulesFromSpec('openapi/my-api.yaml'));
 */
export function retryRulesFromSpec(file: string, overrides: Partial<RetryRuleSet> = {}): RetryRuleSet {
  const spec = loadSpec(file);
  const info = spec.document.info as { title?: string } | undefined;
  return retryRulesFromPolicy(parseSpecPolicy(spec.document, file), { title: info?.title, idempotencyHeader: idempotencyHeaderOf(spec.document) }, overrides);
}

/**
 * Reads a spec's rate-limit policy (the root's and its operations'), for the reference clients' `policy`
 * option and retryRulesFromPolicy.
 * @example createRetryAfterFetch({ policy: loadRateLimitPolicy('openapi/my-api.yaml') })
 */
export function loadRateLimitPolicy(file: string) {
  return parseSpecPolicy(loadSpec(file).document, file);
}
