import { describe, it } from 'vitest';
import { formatFailure, formatPrettyReport, runConformance } from '../src/conformance/index.js';
import { type AuthmatechDefect, startAuthmatech } from './implementations/authmatech-express.js';
import { type ReconlayerDefect, startReconlayer } from './implementations/reconlayer-fastify.js';

// The oracle must catch real bugs: each broken variant is the real implementation with one defect
// switched on, and must fail with the check whose id names that defect. Windows are 1 s and the
// variants run concurrently, so the whole file takes a few seconds of real time.

const reconlayerCases: Array<[ReconlayerDefect, string]> = [
  ['counts-from-zero', 'reconlayer/429-after-exactly-max'],
  ['missing-retry-after', 'reconlayer/retry-after-on-429'],
  ['retry-after-in-ms', 'reconlayer/retry-after-on-429'],
  ['retry-after-one-second-short', 'reconlayer/budget-back-after-retry-after'],
  ['no-limit-header-on-429', 'reconlayer/limit-header-equals-max'],
  ['reset-as-epoch', 'reconlayer/reset-is-seconds-in-window'],
  ['message-without-duration', 'reconlayer/429-message-wording'],
  ['body-has-code-field', 'reconlayer/429-body-shape'],
  ['ignores-rate-limit-window', 'reconlayer/env-overrides-reflected'],
  ['keyed-by-ip-only', 'reconlayer/other-org-untouched'],
  ['per-key-not-per-org', 'reconlayer/org-keys-share-budget'],
  ['unknown-key-own-budget', 'reconlayer/unresolved-keyed-by-ip'],
  ['docs-subpages-limited', 'reconlayer/exempt-served-while-exhausted'],
  ['exempt-sends-headers', 'reconlayer/exempt-sends-no-headers'],
  ['exempt-spends-budget', 'reconlayer/exempt-spends-no-budget'],
  ['exempt-substring-match', 'reconlayer/bypass-probes-stay-limited'],
  ['exempt-prefix-behind-normalizing-proxy', 'reconlayer/bypass-probes-stay-limited'],
];

const authmatechCases: Array<[AuthmatechDefect, string]> = [
  ['rejects-at-the-limit', 'authmatech/429-after-exactly-limit'],
  ['global-limiter', 'authmatech/outside-scope-not-limited'],
  ['one-level-only', 'authmatech/every-depth-spends'],
  ['envelope-wrong-shape', 'authmatech/429-envelope-exact'],
  ['envelope-as-text', 'authmatech/429-is-json'],
  ['one-budget-for-all-clients', 'authmatech/other-client-unaffected'],
  ['window-sixty-times-too-long', 'authmatech/budget-back-after-window'],
];

describe.concurrent('broken ReconLayer variants (Fastify, RATE_LIMIT_MAX=3, RATE_LIMIT_WINDOW=1s)', () => {
  it.for(reconlayerCases)('%s fails %s', { timeout: 20_000 }, async ([defect, id], { expect }) => {
    const server = await startReconlayer({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '1s' }, defect });
    try {
      const report = await runConformance({ profile: 'reconlayer', target: server.url, limit: 3, window: '1s' });
      const result = report.results.find((r) => r.id === id);
      expect(result?.status, formatPrettyReport(report)).toBe('failed');
      expect(result?.failure?.exchange, 'the failure names the request that showed it').toBeDefined();
      if (result) expect(formatFailure(result)).toMatch(/request: {2}\w+ \//);
    } finally {
      await server.close();
    }
  });
});

describe.concurrent('broken Authmatech variants (Express, limit 3 per 1 s)', () => {
  it.for(authmatechCases)('%s fails %s', { timeout: 20_000 }, async ([defect, id], { expect }) => {
    const server = await startAuthmatech({ limit: 3, windowMs: 1_000, defect });
    try {
      const report = await runConformance({ profile: 'authmatech', target: server.url, limit: 3, window: '1s' });
      const result = report.results.find((r) => r.id === id);
      expect(result?.status, formatPrettyReport(report)).toBe('failed');
      expect(result?.failure?.exchange, 'the failure names the request that showed it').toBeDefined();
    } finally {
      await server.close();
    }
  });
});
