import { readFileSync } from 'node:fs';
import { afterAll, describe, it } from 'vitest';
import { type ConformanceReport, formatPrettyReport, resolveSuite, runConformance } from '../src/conformance/index.js';
import { POLICY_SERVERS } from './implementations/policy-servers.js';

// No false alarms on the checks derived from the policy, per limit: correct servers written from each
// library's own docs (express-rate-limit with standardHeaders draft-6, draft-7 and draft-8; @fastify/
// rate-limit with enableDraftSpec; two stacked express-rate-limit instances per the IETF example; a
// rate-limiter-flexible server with three limits and costs per the GitHub-like example) pass every check of
// their spec, three runs in a row against the same server (each run meets the budgets the previous one
// spent), side by side. Checks that skip by design are listed with their reason. CONFORMANCE_RUNS=n changes
// the number of runs.

const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 3);

const timings: string[] = [];
afterAll(() => {
  // Wall time is measured, never asserted: one line per server for the record.
  for (const line of timings) console.info(line);
});

describe.concurrent(`servers held to specs with several limits, costs and header styles pass every check, ${RUNS} runs in a row`, () => {
  it.for(POLICY_SERVERS)('$name', { timeout: 60_000 * RUNS }, async (server, { expect }) => {
    const heldTo = server.heldTo();
    const running = await server.start();
    try {
      const reports: ConformanceReport[] = [];
      for (let run = 0; run < RUNS; run += 1) reports.push(await runConformance({ ...heldTo, target: running.url }));
      for (const [run, report] of reports.entries()) {
        const shown = `run ${run + 1} of ${RUNS}\n${formatPrettyReport(report)}`;
        expect(report.clock).toBe('real');
        expect(
          report.results.filter((r) => r.status === 'failed' || r.status === 'blocked'),
          shown,
        ).toEqual([]);
        const skipped = report.results.filter((r) => r.status === 'skipped');
        expect(skipped.map((r) => r.id).sort(), shown).toEqual(Object.keys(server.skips).sort());
        for (const r of skipped) expect(r.reason, shown).toMatch(server.skips[r.id] as RegExp);
        expect(report.results.filter((r) => r.id.startsWith('spec/limits/') && r.status === 'passed').length, shown).toBeGreaterThan(0);
      }
      const total = reports.map((r) => r.results.length)[0];
      timings.push(
        `[policies] ${server.name}: ${RUNS} runs of ${total} checks, 0 false alarms, ${reports.map((r) => `${(r.durationMs / 1000).toFixed(1)} s`).join(' / ')}`,
      );
    } finally {
      await running.close();
    }
  });
});

it('budgets spent by someone else just before the run (every key, every limit) are waited out, not reported', { timeout: 120_000 }, async ({ expect }) => {
  const server = POLICY_SERVERS.find((s) => s.name.startsWith('two stacked')) as (typeof POLICY_SERVERS)[number];
  const heldTo = server.heldTo();
  const running = await server.start();
  try {
    // Two requests per key: within the burst, and a tenth of the daily limit, all spent before the suite starts.
    const keys = (
      JSON.parse(readFileSync(heldTo.credentials as string, 'utf8')) as { principals: Array<{ credentials: Array<Record<string, string>> }> }
    ).principals.map((p) => p.credentials[0] as Record<string, string>);
    for (const headers of keys) for (let i = 0; i < 2; i += 1) await (await fetch(`${running.url}/v1/products`, { headers })).arrayBuffer();
    // The per-limit checks alone, so that their runs are the first to meet the spent budgets.
    const skip = Object.fromEntries(
      resolveSuite(heldTo)
        .checks.filter((c) => !c.id.startsWith('spec/limits/'))
        .map((c) => [c.id, 'this test is about the per-limit runs']),
    );
    const report = await runConformance({ ...heldTo, target: running.url, skip });
    expect(
      report.results.filter((r) => r.status === 'failed' || r.status === 'blocked'),
      formatPrettyReport(report),
    ).toEqual([]);
    expect(report.results.filter((r) => r.id.startsWith('spec/limits/daily/') && r.status === 'passed')).toHaveLength(5);
  } finally {
    await running.close();
  }
});
