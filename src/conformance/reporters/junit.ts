import { formatFailure } from '../format-failure.js';
import type { ConformanceReport } from '../run-conformance.js';

const escapeXml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** A JUnit XML report, one testcase per check, for CI systems that render test results. */
export function formatJunitReport(report: ConformanceReport): string {
  const { passed, failed, skipped, blocked } = report.summary;
  const total = passed + failed + skipped + blocked;
  // A blocked check is reported as skipped with the failed check that explains it, so CI counts the cause once.
  const notRun = skipped + blocked;
  const cases = report.results.map((result) => {
    const open = `    <testcase classname="ratelimit-contract.${escapeXml(report.suite)}" name="${escapeXml(`${result.id}: ${result.title}`)}" time="${seconds(result.durationMs)}"`;
    if (result.status === 'passed') return `${open}/>`;
    if (result.status === 'skipped' || result.status === 'blocked')
      return `${open}>\n      <skipped message="${escapeXml(result.reason ?? '')}"/>\n    </testcase>`;
    const summary = result.failure?.summary ?? 'failed';
    return `${open}>\n      <failure message="${escapeXml(summary)}" type="ConformanceFailure">${escapeXml(formatFailure(result, '  '))}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ratelimit-contract" tests="${total}" failures="${failed}" skipped="${notRun}" time="${seconds(report.durationMs)}">`,
    `  <testsuite name="ratelimit-contract ${escapeXml(report.suite)}" tests="${total}" failures="${failed}" skipped="${notRun}" time="${seconds(report.durationMs)}">`,
    '    <properties>',
    `      <property name="target" value="${escapeXml(report.target)}"/>`,
    `      <property name="limit" value="${report.limit}"/>`,
    `      <property name="windowMs" value="${report.windowMs}"/>`,
    `      <property name="clock" value="${report.clock}"/>`,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
