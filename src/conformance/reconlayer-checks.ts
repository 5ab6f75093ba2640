import type { ConformanceCheck } from './conformance-check.js';
import { declaredOverridesReflected, limitHeaderEqualsMax, remainingCountsDown, resetIsSecondsInWindow, retryAfterOnRejection } from './header-checks.js';
import { credentialsShareBudget, otherPrincipalUnaffected, unresolvedKeyedByIp } from './keying-checks.js';
import { budgetBack, rejectsAfterExactlyLimit } from './limit-checks.js';
import { rejectionBodyMatches, rejectionContentType, rejectionMatchesSpec } from './rejection-checks.js';
import { bypassProbesStayLimited, exemptSendsNoHeaders, exemptServedWhileExhausted, exemptSpendsNothing } from './scope-checks.js';

/**
 * The ReconLayer suite: each check quotes the sentence of ReconLayer's rate-limit documentation it
 * enforces. Order matters only for speed: checks that read one exhausted budget run while it lasts.
 */
export const reconlayerChecks: readonly ConformanceCheck[] = [
  rejectsAfterExactlyLimit({
    id: 'reconlayer/429-after-exactly-max',
    title: 'request RATE_LIMIT_MAX + 1 in a window is the first 429',
    clause: 'Once your organization exceeds RATE_LIMIT_MAX requests within RATE_LIMIT_WINDOW, ReconLayer responds with 429 Too Many Requests',
  }),
  limitHeaderEqualsMax({
    id: 'reconlayer/limit-header-equals-max',
    title: 'x-ratelimit-limit equals the configured max on every limited response',
    clause: 'x-ratelimit-limit — The configured maximum requests per window (RATE_LIMIT_MAX).',
  }),
  remainingCountsDown({
    id: 'reconlayer/remaining-counts-down',
    title: 'x-ratelimit-remaining goes down by exactly one per request and is 0 on a 429',
    clause: 'x-ratelimit-remaining — Requests remaining in the current window.',
  }),
  resetIsSecondsInWindow({
    id: 'reconlayer/reset-is-seconds-in-window',
    title: 'x-ratelimit-reset is whole seconds in [0, window], not an epoch or milliseconds',
    clause: 'x-ratelimit-reset — Seconds until the current window resets.',
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
    clause: '429 Too Many Requests { "statusCode": 429, "error": "Too Many Requests", … }',
  }),
  rejectionMatchesSpec({
    id: 'reconlayer/429-matches-spec',
    title: "the 429 validates against the spec's RateLimited response (status, headers, body)",
    clause: 'ReconLayer responds with 429 Too Many Requests (openapi/reconlayer.yaml: components/responses/RateLimited)',
  }),
  declaredOverridesReflected(
    {
      id: 'reconlayer/env-overrides-reflected',
      title: 'the declared RATE_LIMIT_MAX / RATE_LIMIT_WINDOW are what the server applies',
      clause: 'Both the request ceiling and the time window are configurable per deployment via environment variables: RATE_LIMIT_MAX, RATE_LIMIT_WINDOW',
    },
    { limit: 'RATE_LIMIT_MAX', window: 'RATE_LIMIT_WINDOW' },
  ),
  otherPrincipalUnaffected({
    id: 'reconlayer/other-org-untouched',
    title: "exhausting one organization's budget leaves another organization's alone",
    clause: '300 requests per minute, per organization. The limit is keyed by your resolved organizationId',
  }),
  exemptServedWhileExhausted({
    id: 'reconlayer/exempt-served-while-exhausted',
    title: 'every exempt path is served while the budget is exhausted',
    clause: '/health, /openapi.json, /openapi.yaml, /docs (and /docs/*), and /webhooks/* are exempt from rate limiting',
  }),
  exemptSendsNoHeaders({
    id: 'reconlayer/exempt-sends-no-headers',
    title: 'exempt paths carry no rate-limit headers',
    clause: 'Every response from a rate-limited route carries headers describing your current budget (exempt routes are not rate-limited routes)',
  }),
  bypassProbesStayLimited({
    id: 'reconlayer/bypass-probes-stay-limited',
    title: 'near misses and bypass tricks (query strings, dot segments, %2F, //, case) are never served while exhausted',
    clause: 'Public paths are not rate-limited: /health, /openapi.json, /openapi.yaml, /docs (and /docs/*), and /webhooks/* (only these)',
  }),
  budgetBack(
    {
      id: 'reconlayer/budget-back-after-retry-after',
      title: 'after waiting retry-after seconds, the budget is back',
      clause: 'Use the retry-after header (seconds) to decide how long to wait before your next request',
    },
    'retry-after',
  ),
  exemptSpendsNothing({
    id: 'reconlayer/exempt-spends-no-budget',
    title: 'requests to exempt paths spend no budget',
    clause: '/health, /openapi.json, /openapi.yaml, /docs (and /docs/*), and /webhooks/* are exempt from rate limiting',
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
