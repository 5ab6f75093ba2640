import { formatDurationLong } from '../core/duration.js';
import type { SingleLimitView } from '../core/single-limit-view.js';
import type { ConformanceCheck } from './conformance-check.js';
import { budgetSharedAcrossConnections } from './connection-checks.js';
import { declaredOverridesReflected, limitHeaderEqualsMax, remainingCountsDown, resetIsSecondsInWindow, retryAfterOnRejection } from './header-checks.js';
import { credentialsShareBudget, otherPrincipalUnaffected, unresolvedKeyedByIp } from './keying-checks.js';
import { budgetBack, rejectsAfterExactlyLimit } from './limit-checks.js';
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

/**
 * The suite for your own spec: the same checks, chosen by what its `x-rate-limit` policy promises, each
 * quoting the policy field it enforces (ids start with `spec/`).
 */
export function specChecks(policy: SingleLimitView): ConformanceCheck[] {
  const x = 'x-rate-limit';
  const per = policy.key.by === 'ip' ? 'client IP' : policy.key.principal;
  const limit = `${x}: limit ${policy.limit} per ${formatDurationLong(policy.windowMs)} (${policy.algorithm}), per ${per}`;
  const h = policy.headers;
  const checks: Array<ConformanceCheck | false> = [
    rejectsAfterExactlyLimit({
      id: 'spec/429-after-exactly-limit',
      title: `request limit + 1 in a window is the first ${policy.rejection.status}`,
      clause: limit,
    }),
    budgetSharedAcrossConnections({
      id: 'spec/budget-shared-across-connections',
      title: `one ${per}'s budget is one counter, however its requests travel (new connections, keep-alive sockets, a concurrent burst)`,
      clause: limit,
    }),
    otherPrincipalUnaffected({
      id: 'spec/other-key-untouched',
      title: `exhausting one ${per}'s budget leaves another's alone`,
      clause: `${x}.key: ${JSON.stringify(policy.key)}`,
    }),
    !!h.limit &&
      limitHeaderEqualsMax({
        id: 'spec/limit-header-equals-limit',
        title: `${h.limit} equals the limit on every limited response`,
        clause: `${x}.headers.limit: ${h.limit}`,
      }),
    !!h.remaining &&
      remainingCountsDown({
        id: 'spec/remaining-counts-down',
        title: `${h.remaining} goes down by one per request and is 0 on the rejection`,
        clause: `${x}.headers.remaining: ${h.remaining}`,
      }),
    !!h.reset &&
      resetIsSecondsInWindow({
        id: 'spec/reset-is-seconds-in-window',
        title: `${h.reset} is whole seconds in [0, window]`,
        clause: `${x}.headers.reset: ${h.reset} (seconds until the window resets)`,
      }),
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
      everyOperationSpends({
        id: 'spec/every-operation-spends',
        title: 'every operation in the scope spends the budget',
        clause: `${x}.scope.include: ${policy.include.join(', ')}`,
      }),
    budgetBack(
      { id: 'spec/budget-back-after-window', title: 'the budget is back after the window (or retry-after)', clause: limit },
      h.retryAfter ? 'retry-after' : 'window',
    ),
    (!!h.reset || !!h.retryAfter) &&
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
      unresolvedKeyedByIp({
        id: 'spec/unresolved-keyed-by-ip',
        title: `requests that resolve to no ${per} are limited per IP`,
        clause: `${x}.key.fallback: ip`,
      }),
  ];
  return checks.filter((c): c is ConformanceCheck => c !== false);
}
