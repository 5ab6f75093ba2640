import { formatDurationLong } from '../../core/duration.js';
import type { CheckResult } from '../conformance-check.js';
import { formatFailure } from '../format-failure.js';
import type { ConformanceReport } from '../run-conformance.js';

const MARK: Record<CheckResult['status'], string> = { passed: '✓', failed: '✗', skipped: '-', blocked: '!' };

/** One progress line for a finished check (what the CLI prints to stderr as it goes). */
export function formatProgressLine(result: CheckResult, index: number, total: number): string {
  const time = result.status === 'skipped' ? 'skipped' : result.status === 'blocked' ? `blocked by ${result.blockedBy}` : `${Math.round(result.durationMs)} ms`;
  return `  [${String(index + 1).padStart(String(total).length)}/${total}] ${MARK[result.status]} ${result.id} (${time})`;
}

/** The human report: a line per check, the failure details under each failed one, then a summary. */
export function formatPrettyReport(report: ConformanceReport): string {
  const clock = report.clock === 'virtual' ? "virtual clock (the mock's control API): no real waiting" : 'real clock: waits are real, bounded by the window';
  const lines = [
    `ratelimit-contract verify: ${report.suite} against ${report.target}`,
    `  holding it to ${report.limit} request${report.limit === 1 ? '' : 's'} per ${formatDurationLong(report.windowMs)}; ${clock}`,
    '',
  ];
  for (const result of report.results) {
    lines.push(`  ${MARK[result.status]} ${result.id}  ${result.title}`);
    if (result.status === 'failed') lines.push(`      ${formatFailure(result, '      ')}`);
    if (result.status === 'skipped') lines.push(`      skipped: ${result.reason}`);
    if (result.status === 'blocked') lines.push(`      ${result.reason}`, `      (on its own it would have said: ${result.failure?.summary})`);
  }
  const { passed, failed, skipped, blocked } = report.summary;
  const blockedWords = blocked > 0 ? `, ${blocked} blocked by those failures` : '';
  lines.push(
    '',
    `${report.results.length} checks: ${passed} passed, ${failed} failed, ${skipped} skipped${blockedWords} (${(report.durationMs / 1000).toFixed(1)} s)`,
  );
  return `${lines.join('\n')}\n`;
}
