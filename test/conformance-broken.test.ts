import { describe, it } from 'vitest';
import { formatFailure, formatPrettyReport, runConformance } from '../src/conformance/index.js';
import { BROKEN_VARIANTS } from './implementations/broken-variants.js';
import { startReconlayer } from './implementations/reconlayer-fastify.js';

// The oracle must catch real bugs: each broken variant is a reference server with one defect switched on,
// and must fail with the check whose id names that defect, in a message that names the true cause.
// Windows are 1 s (2 s where whole seconds must tell the time left from the window), limit 3; the
// variants run side by side.

describe.concurrent('broken variants fail the check that names their defect', () => {
  it.for(BROKEN_VARIANTS.map((v) => [v.name, v] as const))('%s', { timeout: 40_000 }, async ([, variant], { expect }) => {
    const server = await variant.start(variant.windowSeconds);
    try {
      const report = await runConformance({ profile: variant.profile, target: server.url, limit: 3, window: `${variant.windowSeconds}s`, ...variant.probe });
      const shown = formatPrettyReport(report);
      for (const id of variant.fails) {
        const result = report.results.find((r) => r.id === id);
        expect(result?.status, `${id}\n${shown}`).toBe('failed');
        expect(result?.failure?.exchange, 'the failure names the request that showed it').toBeDefined();
        if (result) expect(formatFailure(result)).toMatch(/request: {2}\w+ \//);
      }
      const named = report.results.find((r) => r.id === variant.fails[0]);
      expect(named?.failure?.summary, shown).toMatch(variant.says);
    } finally {
      await server.close();
    }
  });
});

// Diagnosis names the true cause: once a check has found what misleads the checks after it (a limit
// other than the declared one, principals sharing an IP's budget), those report "blocked by" it instead
// of blaming something else.
describe.concurrent('later failures are blocked by the check that explains them', () => {
  it('off by one (a store that counts from zero): no "as if it shared", "exempt requests spent" or "came back only in part"', async ({ expect }) => {
    const server = await startReconlayer({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '1s' }, defect: 'counts-from-zero' });
    try {
      const report = await runConformance({ profile: 'reconlayer', target: server.url, limit: 3, window: '1s' });
      const shown = formatPrettyReport(report);
      const failed = report.results.filter((r) => r.status === 'failed');
      expect(failed.map((r) => r.id).sort(), shown).toEqual(['reconlayer/429-after-exactly-max', 'reconlayer/remaining-counts-down'].sort());
      for (const r of failed) expect(r.failure?.summary, shown).not.toMatch(/as if it shared|exempt requests spent|came back only in part|budget of its own/);
      const blocked = report.results.filter((r) => r.status === 'blocked');
      for (const r of blocked) expect(r.blockedBy, shown).toBe('reconlayer/429-after-exactly-max');
      expect(report.summary.blocked).toBe(blocked.length);
    } finally {
      await server.close();
    }
  });

  it('keyed by IP only: the exempt check does not say the exempt requests spent a budget', async ({ expect }) => {
    const server = await startReconlayer({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '1s' }, defect: 'keyed-by-ip-only' });
    try {
      const report = await runConformance({ profile: 'reconlayer', target: server.url, limit: 3, window: '1s' });
      const shown = formatPrettyReport(report);
      for (const r of report.results.filter((x) => x.status === 'failed'))
        expect(r.failure?.summary, shown).not.toMatch(/exempt requests spent|budget of its own/);
      const exempt = report.results.find((r) => r.id === 'reconlayer/exempt-spends-no-budget');
      expect(['passed', 'blocked'], shown).toContain(exempt?.status);
      if (exempt?.status === 'blocked') expect(exempt.reason).toMatch(/^blocked by reconlayer\/other-org-untouched: .*keyed by IP/);
    } finally {
      await server.close();
    }
  });
});
