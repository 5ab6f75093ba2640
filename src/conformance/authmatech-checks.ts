import type { ConformanceCheck } from './conformance-check.js';
import { budgetSharedAcrossConnections } from './connection-checks.js';
import { otherPrincipalUnaffected } from './keying-checks.js';
import { budgetBack, rejectsAfterExactlyLimit } from './limit-checks.js';
import { rejectionBodyMatches, rejectionContentType, rejectionMatchesSpec } from './rejection-checks.js';
import { everyOperationSpends, outOfScopeNotLimited } from './scope-checks.js';
import { noLockoutPastWindow } from './window-checks.js';

const BUDGET = 'Each account has a per-client request budget, 1,000 requests per minute by default.';

/** The Authmatech suite: each check quotes, verbatim, the words of Authmatech's rate-limit documentation it enforces. */
export const authmatechChecks: readonly ConformanceCheck[] = [
  rejectsAfterExactlyLimit({
    id: 'authmatech/429-after-exactly-limit',
    title: "the client's request limit + 1 in a window is the first 429",
    clause: `${BUDGET} … If you exceed your budget, the API returns 429 Too Many Requests`,
  }),
  budgetSharedAcrossConnections({
    id: 'authmatech/budget-shared-across-connections',
    title: "a client's budget is one counter, however its requests travel (new connections, several keep-alive sockets, a concurrent burst)",
    clause: BUDGET,
  }),
  otherPrincipalUnaffected({
    id: 'authmatech/other-client-unaffected',
    title: "exhausting one client's budget leaves another client's alone",
    clause: 'Authmatech applies request limits per client … Each account has a per-client request budget',
  }),
  rejectionBodyMatches(
    {
      id: 'authmatech/429-envelope-exact',
      title: 'the 429 is exactly the documented envelope (success false, one FAILURE message, TOO_MANY_REQUESTS, data null)',
      clause:
        'the API returns 429 Too Many Requests in the standard envelope: { "success": false, "messages": [ { "type": "FAILURE", "message": "Rate limit exceeded.", "httpStatus": "TOO_MANY_REQUESTS" } ], "data": null }',
    },
    'shape',
  ),
  rejectionContentType({
    id: 'authmatech/429-is-json',
    title: 'the 429 envelope is sent as application/json',
    clause: 'the API returns 429 Too Many Requests in the standard envelope',
  }),
  rejectionMatchesSpec({
    id: 'authmatech/429-matches-spec',
    title: "the 429 validates against openapi/authmatech.yaml's RateLimited response",
    clause: 'the API returns 429 Too Many Requests in the standard envelope',
  }),
  outOfScopeNotLimited({
    id: 'authmatech/outside-scope-not-limited',
    title: 'paths outside /v1/api/** are served while the budget is exhausted and spend nothing',
    clause: 'The budget covers all /v1/api/** calls made with your X-API-KEY / X-CLIENT-ID.',
  }),
  budgetBack(
    {
      id: 'authmatech/budget-back-after-window',
      title: 'the budget is back once the window has passed',
      clause: '1,000 requests per minute by default',
    },
    'window',
  ),
  everyOperationSpends({
    id: 'authmatech/every-depth-spends',
    title: 'every /v1/api/** operation, at every depth, spends the one budget',
    clause: 'The budget covers all /v1/api/** calls made with your X-API-KEY / X-CLIENT-ID.',
  }),
  noLockoutPastWindow({
    id: 'authmatech/no-lockout-past-window',
    title: 'a budget spent late in its window is back one window after its first request (no lock-out penalty)',
    clause: BUDGET,
  }),
];
