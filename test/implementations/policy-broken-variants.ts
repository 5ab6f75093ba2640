import { startCatalog } from './catalog-express-stacked.js';
import { startGithub } from './github-flexible.js';
import { startItemsExpress } from './items-express-rate-limit.js';
import { startItemsFastify } from './items-fastify-draft-spec.js';
import { CATALOG_LIMITS, catalogSpec, erlSpec, fastifySpec, GITHUB_LIMITS, githubSpec, type HeldTo } from './policy-servers.js';

/**
 * A reference server of policy-servers.ts with one defect switched on (or configured against its spec, as
 * a user who picked the wrong option would), what it gets wrong as docs/verify.md's second table words it,
 * the checks that must fail because of it, and what the first one's message must say.
 */
export interface PolicyVariant {
  name: string;
  heldTo: () => HeldTo;
  /** Every id here must fail (not be blocked). */
  fails: string[];
  /** The first check's message names the defect. */
  says: RegExp;
  start(): Promise<{ url: string; close(): Promise<void> }>;
}

export const POLICY_VARIANTS: PolicyVariant[] = [
  {
    name: "Express + express-rate-limit: `standardHeaders: 'draft-7'` where the spec declares draft-8",
    heldTo: () => erlSpec('draft-8'),
    fails: ['spec/limits/5-in-2sec/headers-as-declared'],
    says: /carries ratelimit: limit=5, remaining=\d, reset=\d, which is not a Structured Field List of service limits .*\(it reads as draft-7 syntax/,
    start: () => startItemsExpress({ standardHeaders: 'draft-7' }),
  },
  {
    name: '@fastify/rate-limit enableDraftSpec: `ratelimit-reset` rewritten as an epoch time where the spec declares seconds',
    heldTo: () => fastifySpec,
    fails: ['spec/limits/default/headers-as-declared', 'spec/reset-is-seconds-in-window'],
    says: /reset, read as seconds, is \d+ s away, more than the window: it looks like an epoch time/,
    start: () => startItemsFastify({ defect: 'reset-as-epoch' }),
  },
  {
    name: 'GitHub-like on rate-limiter-flexible: `x-ratelimit-reset` in seconds where the spec declares epoch seconds',
    heldTo: githubSpec,
    fails: ['spec/limits/core/headers-as-declared', 'spec/limits/search/headers-as-declared'],
    says: /core \(12 requests per 6 seconds\)'s reset reads \d, which is no epoch time .* it looks like seconds until the reset/,
    start: () => startGithub({ ...GITHUB_LIMITS, defect: 'reset-as-seconds' }),
  },
  {
    name: 'Two stacked express-rate-limit instances: the burst limiter copied from the daily one, identifier included',
    heldTo: () => catalogSpec(),
    fails: ['spec/limits/burst/reports-deciding-limit'],
    says: /was refused, and its headers report daily \(20 requests per 10 seconds\) as spent \(0 left\), but by the policy it had \d+ left; burst .* is the one that refused it/,
    start: () => startCatalog({ ...CATALOG_LIMITS, defect: 'burst-reported-as-daily' }),
  },
  {
    name: 'Two stacked express-rate-limit instances with draft-7 headers (the second overwrites the first)',
    heldTo: () => catalogSpec('draft-7'),
    fails: ['spec/limits/burst/reports-deciding-limit'],
    says: /reports daily \(20 requests per 10 seconds\) \(\d+ left by the policy\), but the headers must report the limit closest to running out: burst/,
    start: () => startCatalog({ ...CATALOG_LIMITS, standardHeaders: 'draft-7' }),
  },
  {
    name: 'Two stacked express-rate-limit instances in the wrong order (daily before burst)',
    heldTo: () => catalogSpec(),
    fails: ['spec/limits/burst/remaining-spends-cost'],
    says: /reports \d+ left of daily .*; by the policy \d+ requests spent of 20, so \d+ must be left/,
    start: () => startCatalog({ ...CATALOG_LIMITS, defect: 'daily-stacked-first' }),
  },
  {
    name: 'GitHub-like on rate-limiter-flexible: the search limiter mounted on the whole app',
    heldTo: githubSpec,
    fails: ['spec/limits/search/only-on-its-operations'],
    says: /was refused with 429 Too Many Requests right after search refused .* search is applied where the spec does not put it/,
    start: () => startGithub({ ...GITHUB_LIMITS, defect: 'search-limit-everywhere' }),
  },
  {
    name: 'GitHub-like on rate-limiter-flexible: a write spends one secondary point instead of five',
    heldTo: githubSpec,
    fails: ['spec/limits/secondary/refused-when-spent'],
    says: /was allowed, but secondary \(30 points per 3 seconds\) could not take it: with it, 35 of 30 points would be spent in one window .* Each request costs 5 points here/,
    start: () => startGithub({ ...GITHUB_LIMITS, defect: 'write-cost-ignored' }),
  },
];
