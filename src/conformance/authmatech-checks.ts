import type { ConformanceCheck } from './conformance-check.js';
import { otherPrincipalUnaffected } from './keying-checks.js';
import { budgetBack, rejectsAfterExactlyLimit } from './limit-checks.js';
import { rejectionBodyMatches, rejectionContentType, rejectionMatchesSpec } from './rejection-checks.js';
import { everyOperationSpends, outOfScopeNotLimited } from './scope-checks.js';

/** The Authmatech suite: each check quotes the sentence of Authmatech's rate-limit documentation it enforces. */
export const authmatechChecks: readonly ConformanceCheck[] = [
  rejectsAfterExactlyLimit({
    id: 'authmatech/429-after-exactly-limit',
    title: "the client's request limit + 1 in a window is the first 429",
    clause:
      'Each account has a per-client request budget, 1,000 requests per minute by default. … If you exceed your budget, the API returns 429 Too Many Requests',
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
    title: "the 429 validates against the spec's RateLimited response",
    clause: 'the API returns 429 Too Many Requests in the standard envelope (openapi/authmatech.yaml: components/responses/RateLimited)',
  }),
  otherPrincipalUnaffected({
    id: 'authmatech/other-client-unaffected',
    title: "exhausting one client's budget leaves another client's alone",
    clause: 'Authmatech applies request limits per client … Each account has a per-client request budget',
  }),
  outOfScopeNotLimited({
    id: 'authmatech/outside-scope-not-limited',
    title: 'paths outside /v1/api/** are served while the budget is exhausted and spend nothing',
    clause: 'The budget covers all /v1/api/** calls made with your X-API-KEY / X-CLIENT-ID.',
  }),
  everyOperationSpends({
    id: 'authmatech/every-depth-spends',
    title: 'every /v1/api/** operation, at every depth, spends the one budget',
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
];
