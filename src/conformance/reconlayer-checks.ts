import type { ConformanceCheck } from './conformance-check.js';
import { budgetSharedAcrossConnections } from './connection-checks.js';
import { declaredOverridesReflected, limitHeaderEqualsMax, remainingCountsDown, resetIsSecondsInWindow, retryAfterOnRejection } from './header-checks.js';
import { credentialsShareBudget, otherPrincipalUnaffected, unresolvedKeyedByIp } from './keying-checks.js';
import { budgetBack, rejectsAfterExactlyLimit } from './limit-checks.js';
import { rejectionBodyMatches, rejectionContentType, rejectionMatchesSpec } from './rejection-checks.js';
import { bypassProbesStayLimited, exemptSendsNoHeaders, exemptServedWhileExhausted, exemptSpendsNothing } from './scope-checks.js';
import { noLockoutPastWindow, timeLeftLateInWindow } from './window-checks.js';

const EXEMPT = '/health, /openapi.json, /openapi.yaml, /docs (and /docs/*), and /webhooks/* are exempt from rate limiting';

/**
 * The ReconLayer suite: each check quotes, verbatim, the words of ReconLayer's rate-limit documentation it
 * enforces (fragments joined by " … "). Order matters: checks that find what misleads later ones (the
 * limit, several counters) run first; checks that read one exhausted budget run while it lasts.
 */
export const reconlayerChecks: readonly ConformanceCheck[] = [
  rejectsAfterExactlyLimit({
    id: 'reconlayer/429-after-exactly-max',
    title: 'request RATE_LIMIT_MAX + 1 in a window is the first 429',
    clause: 'Once your organization exceeds RATE_LIMIT_MAX requests within RATE_LIMIT_WINDOW, ReconLayer responds with 429 Too Many Requests',
  }),
  budgetSharedAcrossConnections({
    id: 'reconlayer/budget-shared-across-connections',
    title: "an organization's budget is one counter, however its requests travel (new connections, several keep-alive sockets, a concurrent burst)",
    clause: '300 requests per minute, per organization. … Maximum requests allowed per window, per organization.',
  }),
  otherPrincipalUnaffected({
    id: 'reconlayer/other-org-untouched',
    title: "exhausting one organization's budget leaves another organization's alone",
    clause: '300 requests per minute, per organization. The limit is keyed by your resolved organizationId',
  }),
  limitHeaderEqualsMax({
    id: 'reconlayer/limit-header-equals-max',
    title: 'x-ratelimit-limit equals the configured max on every limited response',
    clause: 'x-ratelimit-limit … The configured maximum requests per window (RATE_LIMIT_MAX).',
  }),
  remainingCountsDown({
    id: 'reconlayer/remaining-counts-down',
    title: 'x-ratelimit-remaining goes down by exactly one per request and is 0 on a 429',
    clause: 'x-ratelimit-remaining … Requests remaining in the current window.',
  }),
  resetIsSecondsInWindow({
    id: 'reconlayer/reset-is-seconds-in-window',
    title: 'x-ratelimit-reset is whole seconds in [0, window], not an epoch or milliseconds',
    clause: 'x-ratelimit-reset … Seconds until the current window resets.',
  }),
  retryAfterOnRejection({
    id: 'reconlayer/retry-after-on-429',
    title: 'a 429 carries retry-after in seconds, consistent with x-ratelimit-reset',
    clause: 'ReconLayer responds with 429 Too Many Requests and adds a retry-after header (in seconds) indicating when the window resets',
  }),
  rejectionBodyMatches(
    {
      id: 'reconlayer/429-body-shape',
      title: 'the 429 body is exactly {statusCode: 429, error: "Too Many Requests", message}',
      clause: '429 Too Many Requests { "statusCode": 429, "error": "Too Many Requests", "message": "Rate limit exceeded, retry in 1 minute" }',
    },
    'shape',
  ),
  rejectionBodyMatches(
    {
      id: 'reconlayer/429-message-wording',
      title: 'the 429 message reads "Rate limit exceeded, retry in <the window or the time left>"',
      clause: '"message": "Rate limit exceeded, retry in 1 minute"',
    },
    'placeholders',
  ),
  rejectionContentType({
    id: 'reconlayer/429-is-json',
    title: 'the 429 is sent as application/json',
    clause: '429 Too Many Requests { "statusCode": 429, "error": "Too Many Requests", "message": "Rate limit exceeded, retry in 1 minute" }',
  }),
  rejectionMatchesSpec({
    id: 'reconlayer/429-matches-spec',
    title: "the 429 validates against openapi/reconlayer.yaml's RateLimited response (status, headers, body)",
    clause: 'ReconLayer responds with 429 Too Many Requests',
  }),
  declaredOverridesReflected(
    {
      id: 'reconlayer/env-overrides-reflected',
      title: 'the declared RATE_LIMIT_MAX / RATE_LIMIT_WINDOW are what the server applies',
      clause: 'Both the request ceiling and the time window are configurable per deployment via environment variables:',
    },
    { limit: 'RATE_LIMIT_MAX', window: 'RATE_LIMIT_WINDOW' },
  ),
  exemptServedWhileExhausted({
    id: 'reconlayer/exempt-served-while-exhausted',
    title: 'every exempt path, also with a query string, is served while the budget is exhausted',
    clause: EXEMPT,
  }),
  exemptSendsNoHeaders({
    id: 'reconlayer/exempt-sends-no-headers',
    title: 'exempt paths, also with a query string, carry no rate-limit headers',
    clause: 'Public paths are not rate-limited … Every response from a rate-limited route carries headers describing your current budget',
  }),
  bypassProbesStayLimited({
    id: 'reconlayer/bypass-probes-stay-limited',
    title: 'near misses and bypass tricks (query strings, dot segments, %2F, //, case) never reach a limited operation while exhausted',
    clause: `${EXEMPT} — the same allow-list used for public, unauthenticated routes.`,
  }),
  exemptSpendsNothing({
    id: 'reconlayer/exempt-spends-no-budget',
    title: 'requests to exempt paths, also with a query string, spend no budget',
    clause: EXEMPT,
  }),
  budgetBack(
    {
      id: 'reconlayer/budget-back-after-retry-after',
      title: 'after waiting retry-after seconds, the budget is back',
      clause: 'Use the retry-after header (seconds) to decide how long to wait before your next request',
    },
    'retry-after',
  ),
  timeLeftLateInWindow({
    id: 'reconlayer/retry-after-is-time-left',
    title: 'late in a window, retry-after and x-ratelimit-reset are the time left (rounded up), not the whole window',
    clause: 'adds a retry-after header (in seconds) indicating when the window resets … x-ratelimit-reset … Seconds until the current window resets.',
  }),
  noLockoutPastWindow({
    id: 'reconlayer/no-lockout-past-window',
    title: 'a budget spent late in its window is back one window after its first request (no lock-out penalty)',
    clause: '300 requests per minute, per organization. … The rolling time window the limit applies over.',
  }),
  credentialsShareBudget({
    id: 'reconlayer/org-keys-share-budget',
    title: 'every credential of one organization spends the same budget',
    clause: 'every credential (API key or Clerk session) belonging to the same organization shares the same 300-requests-per-minute budget',
  }),
  unresolvedKeyedByIp({
    id: 'reconlayer/unresolved-keyed-by-ip',
    title: 'requests that resolve to no organization are limited per IP, and unknown keys mint no budget',
    clause: 'Requests that don’t resolve to an organization … are keyed by IP address instead.',
  }),
];
