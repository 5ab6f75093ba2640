import { type AuthmatechDefect, startAuthmatech } from './authmatech-express.js';
import { startAuthmatechNest } from './nest/authmatech-nest.js';
import { startReconlayerExpress } from './reconlayer-express-flexible.js';
import { type ReconlayerDefect, startReconlayer } from './reconlayer-fastify.js';
import { startReconlayerKoa } from './reconlayer-koa.js';

/**
 * One reference server with one defect switched on: what it gets wrong (as docs/verify.md's table words
 * it), the checks that must fail because of it, and what their message must name.
 */
export interface BrokenVariant {
  /** `Fastify: retry-after is the window, not the time left`: the row of docs/verify.md's table. */
  name: string;
  profile: 'reconlayer' | 'authmatech';
  /** Every id here must fail (not be blocked). */
  fails: string[];
  /** The named check's message must match (it names the true cause). */
  says: RegExp;
  /**
   * Window in seconds: 2 where whole seconds must tell the time left from the window, and for the late-window
   * scenario (a stall of a quarter window voids it, and 250 ms stalls happen on a loaded machine).
   */
  windowSeconds: 1 | 2;
  /** The limited route to probe, where the spec's first limited GET would not show the defect. */
  probe?: { path: string; method: string };
  start(windowSeconds: number): Promise<{ url: string; close(): Promise<void> }>;
}

const fastify = (defect: ReconlayerDefect) => (w: number) => startReconlayer({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: `${w}s` }, defect });
const express = (defect: AuthmatechDefect) => (w: number) => startAuthmatech({ limit: 3, windowMs: w * 1000, defect });

const EXEMPT_QUERY = ['reconlayer/exempt-served-while-exhausted', 'reconlayer/exempt-sends-no-headers', 'reconlayer/exempt-spends-no-budget'];
const TIME_LEFT = /carries (retry-after|x-ratelimit-reset): 2, but at most 0\.\d\d s of the 2 seconds window were left .* It reads like the whole window/;
const LOCKOUT = /was refused.*the server blocks the budget for a full window from the first 429 Too Many Requests \(a lock-out penalty/;

export const BROKEN_VARIANTS: BrokenVariant[] = [
  // ReconLayer, Fastify + @fastify/rate-limit
  {
    name: 'Fastify: a store that counts from zero (allows max + 1)',
    profile: 'reconlayer',
    fails: ['reconlayer/429-after-exactly-max'],
    says: /first rejection came at request 5, so 1 request\(s\) too many/,
    windowSeconds: 1,
    start: fastify('counts-from-zero'),
  },
  {
    name: 'Fastify: no `retry-after`',
    profile: 'reconlayer',
    fails: ['reconlayer/retry-after-on-429'],
    says: /has no retry-after header/,
    windowSeconds: 1,
    start: fastify('missing-retry-after'),
  },
  {
    name: 'Fastify: `retry-after` in milliseconds',
    profile: 'reconlayer',
    fails: ['reconlayer/retry-after-on-429'],
    says: /looks like milliseconds/,
    windowSeconds: 1,
    start: fastify('retry-after-in-ms'),
  },
  {
    name: 'Fastify: `retry-after` one second short',
    profile: 'reconlayer',
    fails: ['reconlayer/budget-back-after-retry-after'],
    says: /was still rejected: the budget did not come back/,
    windowSeconds: 1,
    start: fastify('retry-after-one-second-short'),
  },
  {
    name: 'Fastify: `retry-after` is the window, not the time left',
    profile: 'reconlayer',
    fails: ['reconlayer/retry-after-is-time-left'],
    says: TIME_LEFT,
    windowSeconds: 2,
    start: fastify('retry-after-is-window'),
  },
  {
    name: 'Fastify: `x-ratelimit-reset` is the window, not the time left',
    profile: 'reconlayer',
    fails: ['reconlayer/retry-after-is-time-left'],
    says: TIME_LEFT,
    windowSeconds: 2,
    start: fastify('reset-is-window'),
  },
  {
    name: 'Fastify: no `x-ratelimit-limit` on the 429',
    profile: 'reconlayer',
    fails: ['reconlayer/limit-header-equals-max'],
    says: /carries no x-ratelimit-limit header/,
    windowSeconds: 1,
    start: fastify('no-limit-header-on-429'),
  },
  {
    name: 'Fastify: `x-ratelimit-reset` as an epoch',
    profile: 'reconlayer',
    fails: ['reconlayer/reset-is-seconds-in-window'],
    says: /looks like an epoch timestamp/,
    windowSeconds: 1,
    start: fastify('reset-as-epoch'),
  },
  {
    name: 'Fastify: message without the duration',
    profile: 'reconlayer',
    fails: ['reconlayer/429-message-wording'],
    says: /is not worded as documented/,
    windowSeconds: 1,
    start: fastify('message-without-duration'),
  },
  {
    name: 'Fastify: a `code` field in the 429 body',
    profile: 'reconlayer',
    fails: ['reconlayer/429-body-shape'],
    says: /\/code: not documented/,
    windowSeconds: 1,
    start: fastify('body-has-code-field'),
  },
  {
    name: 'Fastify: `RATE_LIMIT_WINDOW` ignored',
    profile: 'reconlayer',
    fails: ['reconlayer/env-overrides-reflected'],
    says: /with the declared RATE_LIMIT_WINDOW=1 second it would be 1/,
    windowSeconds: 1,
    start: fastify('ignores-rate-limit-window'),
  },
  {
    name: 'Fastify: keyed by IP only',
    profile: 'reconlayer',
    fails: ['reconlayer/other-org-untouched'],
    says: /the budget is not kept per organization\. Both were sent from the same address .*: keyed by IP instead of by organization/,
    windowSeconds: 1,
    start: fastify('keyed-by-ip-only'),
  },
  {
    name: 'Fastify: keyed per API key, not per organization',
    profile: 'reconlayer',
    fails: ['reconlayer/org-keys-share-budget'],
    says: /each credential has a budget of its own/,
    windowSeconds: 1,
    start: fastify('per-key-not-per-org'),
  },
  {
    name: 'Fastify: an unknown key gets its own budget',
    profile: 'reconlayer',
    fails: ['reconlayer/unresolved-keyed-by-ip'],
    says: /could mint budgets with made-up keys/,
    windowSeconds: 1,
    start: fastify('unknown-key-own-budget'),
  },
  {
    name: 'Fastify: `/docs/*` left off the allow-list',
    profile: 'reconlayer',
    fails: ['reconlayer/exempt-served-while-exhausted'],
    says: /GET \/docs\/quickstart is exempt, but it was rejected/,
    windowSeconds: 1,
    start: fastify('docs-subpages-limited'),
  },
  {
    name: 'Fastify: exempt paths advertise `x-ratelimit-limit`',
    profile: 'reconlayer',
    fails: ['reconlayer/exempt-sends-no-headers'],
    says: /is exempt, but it carries x-ratelimit-limit/,
    windowSeconds: 1,
    start: fastify('exempt-sends-headers'),
  },
  {
    name: 'Fastify: exempt paths counted (an "infinite max" instead of the allow-list)',
    profile: 'reconlayer',
    fails: ['reconlayer/exempt-spends-no-budget'],
    says: /the exempt requests spent \S+'s budget/,
    windowSeconds: 1,
    start: fastify('exempt-spends-budget'),
  },
  {
    name: 'Fastify: allow-list matched on the URL with its query string (`/health?probe=1` is limited)',
    profile: 'reconlayer',
    fails: EXEMPT_QUERY,
    says: /\?ref=conformance is exempt, but .* Exemptions must be matched on the path, without the query string/,
    windowSeconds: 1,
    start: fastify('exempt-matched-on-url-with-query'),
  },
  {
    name: 'Fastify: allow-list matched as a substring of the URL',
    profile: 'reconlayer',
    fails: ['reconlayer/bypass-probes-stay-limited'],
    says: /\?next=\/health was served by GET \/v1\/payment-intents/,
    windowSeconds: 1,
    start: fastify('exempt-substring-match'),
  },
  {
    name: 'Fastify: allow-list matched by prefix on the raw URL behind a normalizing proxy',
    profile: 'reconlayer',
    fails: ['reconlayer/bypass-probes-stay-limited'],
    says: /was served by GET \/v1\/payment-intents .*reached the limited operation without being limited/,
    windowSeconds: 1,
    start: fastify('exempt-prefix-behind-normalizing-proxy'),
  },
  {
    name: 'Fastify: `continueExceeding` (every 429 restarts the window)',
    profile: 'reconlayer',
    fails: ['reconlayer/no-lockout-past-window'],
    says: LOCKOUT,
    windowSeconds: 2,
    start: fastify('continue-exceeding'),
  },
  {
    name: 'Fastify: a store that reads the count, then writes it back (two round trips)',
    profile: 'reconlayer',
    fails: ['reconlayer/budget-shared-across-connections'],
    says: /the concurrent burst got \d of 4 through .* reads and writes the count in two steps/,
    windowSeconds: 1,
    start: fastify('store-reads-then-writes'),
  },
  // ReconLayer, Express + rate-limiter-flexible; Koa + koa-ratelimit
  {
    name: 'Express + rate-limiter-flexible: `blockDuration` of one window',
    profile: 'reconlayer',
    fails: ['reconlayer/no-lockout-past-window'],
    says: LOCKOUT,
    windowSeconds: 2,
    start: (w) => startReconlayerExpress({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: `${w}s` }, defect: 'block-duration' }),
  },
  {
    name: 'Express + rate-limiter-flexible: `retry-after` from the configured duration',
    profile: 'reconlayer',
    fails: ['reconlayer/retry-after-is-time-left'],
    says: TIME_LEFT,
    windowSeconds: 2,
    start: (w) => startReconlayerExpress({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: `${w}s` }, defect: 'retry-after-from-duration' }),
  },
  {
    name: 'Koa + koa-ratelimit: `whitelist` compares `ctx.url`, query string included',
    profile: 'reconlayer',
    fails: EXEMPT_QUERY,
    says: /\?ref=conformance is exempt, but .* Exemptions must be matched on the path, without the query string/,
    windowSeconds: 1,
    start: (w) => startReconlayerKoa({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: `${w}s` }, defect: 'whitelist-on-url-with-query' }),
  },
  // Authmatech, Express + express-rate-limit; NestJS + @nestjs/throttler
  {
    name: 'Express: rejects at the limit (off by one)',
    profile: 'authmatech',
    fails: ['authmatech/429-after-exactly-limit'],
    says: /off by one/,
    windowSeconds: 1,
    start: express('rejects-at-the-limit'),
  },
  {
    name: 'Express: limiter mounted on the whole app',
    profile: 'authmatech',
    fails: ['authmatech/outside-scope-not-limited'],
    says: /is outside the limited scope .* but it was rejected/,
    windowSeconds: 1,
    start: express('global-limiter'),
  },
  {
    name: 'Express: limiter on one path level only (`/v1/api/:area/:action`), probed with `--path /v1/api/connect/imports --method POST`',
    profile: 'authmatech',
    fails: ['authmatech/every-depth-spends'],
    says: /at least one of those routes spent no budget/,
    windowSeconds: 1,
    probe: { path: '/v1/api/connect/imports', method: 'POST' },
    start: express('one-level-only'),
  },
  {
    name: 'Express: a different 429 body',
    profile: 'authmatech',
    fails: ['authmatech/429-envelope-exact'],
    says: /does not have the documented shape/,
    windowSeconds: 1,
    start: express('envelope-wrong-shape'),
  },
  {
    name: 'Express: the envelope sent as `text/html`',
    profile: 'authmatech',
    fails: ['authmatech/429-is-json'],
    says: /is sent as text\/html/,
    windowSeconds: 1,
    start: express('envelope-as-text'),
  },
  {
    name: 'Express: one budget for all clients',
    profile: 'authmatech',
    fails: ['authmatech/other-client-unaffected'],
    says: /the budget is not kept per client/,
    windowSeconds: 1,
    start: express('one-budget-for-all-clients'),
  },
  {
    name: 'Express: a window sixty times too long',
    profile: 'authmatech',
    fails: ['authmatech/budget-back-after-window'],
    says: /was still rejected: the budget did not come back/,
    windowSeconds: 1,
    start: express('window-sixty-times-too-long'),
  },
  {
    name: 'NestJS + @nestjs/throttler: the default `blockDuration` (a client over the limit is blocked for a whole ttl from its first 429)',
    profile: 'authmatech',
    fails: ['authmatech/no-lockout-past-window'],
    says: /was refused.* a lock-out penalty/,
    windowSeconds: 2,
    start: (w) => startAuthmatechNest({ limit: 3, windowMs: w * 1000, defect: 'default-block-duration' }),
  },
];
