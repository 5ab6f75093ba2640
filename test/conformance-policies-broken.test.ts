import { describe, it } from 'vitest';
import { formatFailure, formatPrettyReport, runConformance } from '../src/conformance/index.js';
import { POLICY_VARIANTS } from './implementations/policy-broken-variants.js';

// The per-limit checks must catch real bugs: each variant is a reference server of the policy tests with one
// defect (or a configuration that does not match its spec), and must fail with the check whose id names the
// defect, in a message that names it and quotes the spec field. The variants run side by side.

describe.concurrent('broken variants fail the per-limit check that names their defect', () => {
  it.for(POLICY_VARIANTS.map((v) => [v.name, v] as const))('%s', { timeout: 60_000 }, async ([, variant], { expect }) => {
    const server = await variant.start();
    try {
      const report = await runConformance({ ...variant.heldTo(), target: server.url });
      const shown = formatPrettyReport(report);
      for (const id of variant.fails) {
        const result = report.results.find((r) => r.id === id);
        expect(result?.status, `${id}\n${shown}`).toBe('failed');
        expect(result?.failure?.exchange, 'the failure names the request that showed it').toBeDefined();
        if (result) expect(formatFailure(result)).toMatch(/request: {2}\w+ \//);
        if (id.startsWith('spec/limits/')) expect(result?.failure?.summary, 'the failure quotes the spec field').toMatch(/\.yaml#\/[^ ]+: /);
      }
      const named = report.results.find((r) => r.id === variant.fails[0]);
      expect(named?.failure?.summary, shown).toMatch(variant.says);
    } finally {
      await server.close();
    }
  });
});
