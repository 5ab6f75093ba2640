import { formatDurationLong } from '../core/duration.js';
import type { SingleLimitView } from '../core/single-limit-view.js';
import type { ConformanceCheck } from './conformance-check.js';
import { budgetSharedAcrossConnections } from './connection-checks.js';
import { declaredOverridesReflected, limitHeaderEqualsMax, remainingCountsDown, resetIsSecondsInWindow, retryAfterOnRejection } from './header-checks.js';
import { credentialsShareBudget, otherPrincipalUnaffected, unresolvedKeyedByIp } from './keying-checks.js';
import { budgetBack, rejectsAfterExactlyLimit } from './limit-checks.js';
import type { PolicyLimits } from './per-limit/limit-model.js';
import { perLimitChecks } from './per-limit/per-limit-checks.js';
import { rejectionBodyMatches, rejectionContentType, rejectionMatchesSpec } from './rejection-checks.js';
import { templateHasPlaceholders } from './rejection-template.js';
import {
  bypassProbesStayLimited,
  everyOperationSpends,
  exemptSendsNoHeaders,
  exemptServedWhileExhausted,
  exemptSpendsNothing,
  outOfScopeNotLimited,
} from './scope-checks.js';
import { noLockoutPastWindow, timeLeftLateInWindow } from './window-checks.js';

/** The check, skipped with `reason` when there is one. */
const unless = (check: ConformanceCheck, reason: string | undefined): ConformanceCheck =>
  reason === undefined
    ? check
    : {
        id: check.id,
        title: check.title,
        clause: check.clause,
        async run(ctx) {
          ctx.skip(reason);
        },
      };

/** What the suite derives beyond the one-limit view: every limit's checks, and why the view's checks may not run. */
export interface SpecCheckOptions {
  /** Every limit of the spec (the per-limit checks); absent, the one-limit checks only. */
  limits?: PolicyLimits;
  /** Why the checks that spend one budget on the probe cannot run (see probeView). */
  unsupported?: string;
  /** The probe's limit has a fallbackLimit for callers without a credential (its own per-limit check holds them to it). */
  fallbackLimit?: number;
  /** Whether the policy is one limit with plain-number headers (the view's header checks run); by default, when the view leaves nothing out. */
  plain?: boolean;
}

/**
 * The suite for your own spec: the same checks, chosen by what its `x-rate-limit` policy promises, each
 * quoting the policy field it enforces (ids start with `spec/`).
 */
export function specChecks(policy: SingleLimitView, options: SpecCheckOptions = {}): ConformanceCheck[] {
  const x = 'x-rate-limit';
  // The one-limit view's header checks read plain numbers by name: with several limits, operations, costs
  // or other header styles, the per-limit checks read the headers instead (with the header module).
  const plain = options.plain ?? policy.unchecked.length === 0;
  const operations = policy.policy.operations.length > 0;
  const per = policy.key.by === 'ip' ? 'client IP' : policy.key.principal;
  const limit = `${x}${plain ? '' : ` (the limit ${policy.name}, which runs out first on the probe)`}: limit ${policy.limit} per ${formatDurationLong(policy.windowMs)} (${policy.algorithm}), per ${per}`;
  const h = policy.headers;
  const checks: Array<ConformanceCheck | false> = [
    rejectsAfterExactlyLimit({
      id: 'spec/429-after-exactly-limit',
      title: `request limit + 1 in a window is the first ${policy.rejection.status}`,
      clause: limit,
    }),
    unless(
      budgetSharedAcrossConnections({
        id: 'spec/budget-shared-across-connections',
        title: `one ${per}'s budget is one counter, however its requests travel (new connections, keep-alive sockets, a concurrent burst)`,
        clause: limit,
      }),
      policy.algorithm === 'token-bucket'
        ? `${policy.name} is a token bucket: it refills while the requests travel, so what one connection gets in a window is no fixed number`
        : undefined,
    ),
    otherPrincipalUnaffected({
      id: 'spec/other-key-untouched',
      title: `exhausting one ${per}'s budget leaves another's alone`,
      clause: `${x}.key: ${JSON.stringify(policy.key)}`,
    }),
    plain &&
      !!h.limit &&
      limitHeaderEqualsMax({
        id: 'spec/limit-header-equals-limit',
        title: `${h.limit} equals the limit on every limited response`,
        clause: `${x}.headers.limit: ${h.limit}`,
      }),
    plain &&
      !!h.remaining &&
      remainingCountsDown({
        id: 'spec/remaining-counts-down',
        title: `${h.remaining} goes down by one per request and is 0 on the rejection`,
        clause: `${x}.headers.remaining: ${h.remaining}`,
      }),
    plain &&
      !!h.reset &&
      resetIsSecondsInWindow({
        id: 'spec/reset-is-seconds-in-window',
        title: `${h.reset} is whole seconds in [0, window]`,
        clause: `${x}.headers.reset: ${h.reset} (seconds until the window resets)`,
      }),
    plain &&
      !!h.retryAfter &&
      retryAfterOnRejection({
        id: 'spec/retry-after-on-rejection',
        title: `the rejection carries ${h.retryAfter} in seconds`,
        clause: `${x}.headers.retryAfter: ${h.retryAfter}`,
      }),
    rejectionBodyMatches(
      {
        id: 'spec/rejection-body-shape',
        title: 'the rejection body has the documented shape',
        clause: `${x}.rejection.body: ${JSON.stringify(policy.rejection.body)}`,
      },
      'shape',
    ),
    templateHasPlaceholders(policy.rejection.body) &&
      rejectionBodyMatches(
        {
          id: 'spec/rejection-body-wording',
          title: 'the rejection body words its placeholders as documented',
          clause: `${x}.rejection.body: ${JSON.stringify(policy.rejection.body)}`,
        },
        'placeholders',
      ),
    rejectionContentType({
      id: 'spec/rejection-content-type',
      title: `the rejection is sent as ${policy.rejection.contentType}`,
      clause: `${x}.rejection.contentType: ${policy.rejection.contentType}`,
    }),
    rejectionMatchesSpec({
      id: 'spec/rejection-matches-spec',
      title: "the rejection validates against the spec's declared response",
      clause: `the operation's ${policy.rejection.status} response`,
    }),
    plain &&
      (policy.env.limit !== undefined || policy.env.window !== undefined) &&
      declaredOverridesReflected(
        {
          id: 'spec/env-overrides-reflected',
          title: 'the declared limit and window are what the server applies',
          clause: `${x}.env: ${JSON.stringify(policy.env)}`,
        },
        policy.env,
      ),
    policy.exempt.length > 0 &&
      exemptServedWhileExhausted({
        id: 'spec/exempt-served-while-exhausted',
        title: 'exempt paths are served while the budget is exhausted',
        clause: `${x}.scope.exempt: ${policy.exempt.join(', ')}`,
      }),
    policy.exempt.length > 0 &&
      exemptSendsNoHeaders({
        id: 'spec/exempt-sends-no-headers',
        title: 'exempt paths carry no rate-limit headers',
        clause: `${x}.scope.exempt: ${policy.exempt.join(', ')}`,
      }),
    policy.exempt.length > 0 &&
      bypassProbesStayLimited({
        id: 'spec/bypass-probes-stay-limited',
        title: 'near misses and bypass tricks are never served while exhausted',
        clause: `${x}.scope.exempt (matched exactly): ${policy.exempt.join(', ')}`,
      }),
    !policy.include.includes('/**') &&
      outOfScopeNotLimited({
        id: 'spec/outside-scope-not-limited',
        title: 'routes outside the scope are not limited',
        clause: `${x}.scope.include: ${policy.include.join(', ')}`,
      }),
    !policy.include.includes('/**') &&
      unless(
        everyOperationSpends({
          id: 'spec/every-operation-spends',
          title: 'every operation in the scope spends the budget',
          clause: `${x}.scope.include: ${policy.include.join(', ')}`,
        }),
        operations ? 'operations have limits of their own (see spec/limits/*/only-on-its-operations)' : undefined,
      ),
    budgetBack(
      { id: 'spec/budget-back-after-window', title: 'the budget is back after the window (or retry-after)', clause: limit },
      h.retryAfter ? 'retry-after' : 'window',
    ),
    (!!h.reset || !!h.retryAfter) &&
      policy.algorithm !== 'token-bucket' &&
      timeLeftLateInWindow({
        id: 'spec/retry-after-is-time-left',
        title: `late in a window, ${[h.retryAfter, h.reset].filter(Boolean).join(' and ')} count the time left (rounded up), not the whole window`,
        clause: `${x}.headers: ${JSON.stringify(h)}`,
      }),
    noLockoutPastWindow({
      id: 'spec/no-lockout-past-window',
      title: 'a budget spent late in its window is back one window after its first request (no lock-out penalty)',
      clause: limit,
    }),
    policy.exempt.length > 0 &&
      exemptSpendsNothing({
        id: 'spec/exempt-spends-no-budget',
        title: 'requests to exempt paths spend no budget',
        clause: `${x}.scope.exempt: ${policy.exempt.join(', ')}`,
      }),
    policy.key.by === 'principal' &&
      credentialsShareBudget({
        id: 'spec/credentials-share-budget',
        title: `every credential of one ${per} spends the same budget`,
        clause: `${x}.key: ${JSON.stringify(policy.key)}`,
      }),
    policy.key.by !== 'ip' &&
      unless(
        unresolvedKeyedByIp({
          id: 'spec/unresolved-keyed-by-ip',
          title: `requests that resolve to no ${per} are limited per IP`,
          clause: `${x}.key.fallback: ip`,
        }),
        options.fallbackLimit === undefined
          ? undefined
          : `${policy.name} gives requests without a credential a limit of their own (fallbackLimit ${options.fallbackLimit}); spec/limits/${policy.name}/fallback-limit holds them to it`,
      ),
  ];
  const viewChecks = checks.filter((c): c is ConformanceCheck => c !== false).map((c) => unless(c, options.unsupported));
  return [...viewChecks, ...(options.limits ? perLimitChecks(options.limits) : [])];
}
