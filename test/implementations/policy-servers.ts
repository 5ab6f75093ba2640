import { join } from 'node:path';
import { exampleSpec, limitNamed } from '../support/example-spec.js';
import { type CatalogOptions, startCatalog } from './catalog-express-stacked.js';
import { type GithubOptions, startGithub } from './github-flexible.js';
import { type ExpressRateLimitDraft, startItemsExpress } from './items-express-rate-limit.js';
import { type ItemsFastifyOptions, startItemsFastify } from './items-fastify-draft-spec.js';

// Reference servers for the per-limit checks, each written from its library's own docs and held to a spec:
// the fixtures in test/fixtures/reference-servers/ (express-rate-limit's three drafts, @fastify/rate-limit's
// enableDraftSpec), and two of openapi/examples/ with short windows (a server with two stacked limits per
// the IETF draft-12 example, a GitHub-like one with core, search and a secondary limit with costs).

type Node = Record<string, unknown>;
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'reference-servers');
export const CATALOG_KEYS = join(FIXTURES, 'catalog.credentials.json');
export const GITHUB_USERS = join(FIXTURES, 'github.credentials.json');

/** A spec a server is held to: the file, and the credentials the suite sends (the keys the server knows). */
export interface HeldTo {
  spec: string;
  credentials?: string;
}

export const erlSpec = (draft: ExpressRateLimitDraft): HeldTo => ({ spec: join(FIXTURES, `express-rate-limit-${draft}.yaml`) });
export const fastifySpec: HeldTo = { spec: join(FIXTURES, 'fastify-draft-spec.yaml') };

/**
 * openapi/examples/ietf-draft-12.yaml with a 3-a-second burst and 20 per 10 seconds as "daily", and
 * `stacking: in-order` (two stacked express-rate-limit instances: the burst runs first, so a request the
 * daily limit refuses has spent the burst); draft-8, the syntax express-rate-limit sends. `style` declares
 * another draft (a variant that stacks two draft-7 limiters).
 */
export const catalogSpec = (style: 'draft-7' | 'draft-8' = 'draft-8'): HeldTo => ({
  spec: exampleSpec('ietf-draft-12', (root) => {
    Object.assign(limitNamed(root, 'burst'), { limit: 3, window: '1s' });
    Object.assign(limitNamed(root, 'daily'), { limit: 20, window: '10s' });
    root.stacking = 'in-order';
    (root.headers as Node).style = style;
  }),
  credentials: CATALOG_KEYS,
});
export const CATALOG_LIMITS: Pick<CatalogOptions, 'burst' | 'daily' | 'credentialsFile'> = {
  burst: { limit: 3, windowMs: 1_000 },
  daily: { limit: 20, windowMs: 10_000 },
  credentialsFile: CATALOG_KEYS,
};

/**
 * openapi/examples/github-like.yaml with windows of seconds: core 12 per 6 s (6 unauthenticated), search 5
 * per 4 s (3), secondary 30 points per 3 s, and `stacking: in-order` (the limiters are consumed one after
 * another, so a request the secondary limit refuses has spent the primary one).
 */
export const githubSpec = (): HeldTo => ({
  spec: exampleSpec('github-like', (root, document) => {
    Object.assign(limitNamed(root, 'core'), { limit: 12, fallbackLimit: 6, window: '6s' });
    Object.assign(limitNamed(root, 'secondary'), { limit: 30, window: '3s' });
    const search = ((document.paths as Node)['/search/repositories'] as Node).get as Node;
    Object.assign(((search['x-rate-limit'] as Node).limits as Node[])[0] as Node, { limit: 5, fallbackLimit: 3, window: '4s' });
    root.stacking = 'in-order';
  }),
  credentials: GITHUB_USERS,
});
export const GITHUB_LIMITS: Pick<GithubOptions, 'core' | 'search' | 'secondary' | 'credentialsFile'> = {
  core: { points: 12, seconds: 6, anonymousPoints: 6 },
  search: { points: 5, seconds: 4, anonymousPoints: 3 },
  secondary: { points: 30, seconds: 3 },
  credentialsFile: GITHUB_USERS,
};

type Server = { url: string; close(): Promise<void> };

/** A correct reference server, the spec it is held to, and the checks that skip by design (id → reason). */
export interface PolicyServer {
  name: string;
  heldTo: () => HeldTo;
  start(): Promise<Server>;
  skips: Record<string, RegExp>;
}

export const POLICY_SERVERS: PolicyServer[] = [
  ...(['draft-6', 'draft-7', 'draft-8'] as const).map(
    (draft): PolicyServer => ({
      name: `Express + express-rate-limit, standardHeaders '${draft}'`,
      heldTo: () => erlSpec(draft),
      start: () => startItemsExpress({ standardHeaders: draft }),
      skips: {},
    }),
  ),
  {
    name: '@fastify/rate-limit with enableDraftSpec',
    heldTo: () => fastifySpec,
    start: () => startItemsFastify({} satisfies ItemsFastifyOptions),
    skips: {},
  },
  {
    name: 'two stacked express-rate-limit instances (burst and daily, draft-8), per the IETF draft-12 example',
    heldTo: () => catalogSpec(),
    start: () => startCatalog(CATALOG_LIMITS),
    skips: { 'spec/outside-scope-not-limited': /declares no operation outside the limited scope/ },
  },
  {
    name: 'rate-limiter-flexible: core, search and a secondary limit with costs, per the GitHub-like example',
    heldTo: githubSpec,
    start: () => startGithub(GITHUB_LIMITS),
    skips: {
      'spec/unresolved-keyed-by-ip': /fallbackLimit 3.*spec\/limits\/search\/fallback-limit holds them to it/,
      'spec/limits/secondary/reports-deciding-limit': /report: false/,
    },
  },
];
