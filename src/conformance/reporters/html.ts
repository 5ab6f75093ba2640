import { formatDurationLong } from '../../core/duration.js';
import type { CheckResult, CheckStatus } from '../conformance-check.js';
import type { ConformanceReport } from '../run-conformance.js';
import { budgetChart, type ChartContext, chartLegend } from './html-chart.js';
import { escapeHtml, htmlId } from './html-escape.js';
import { failedExchange, type ListedScenarios, requestTable } from './html-requests.js';
import { HTML_REPORT_STYLE } from './html-style.js';

const MARK: Record<CheckStatus, string> = { passed: '✓', failed: '✗', skipped: '–', blocked: '!' };

// No script, no fetch: the policy forbids everything but the inline stylesheet, whatever a server put in the report.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const badge = (status: CheckStatus) => `<span class="badge b-${status}">${MARK[status]} ${status}</span>`;
const checkAnchor = (result: CheckResult, index: number) => htmlId(`check-${index + 1}`, result.id);

function outcome(result: CheckResult, anchors: Map<string, string>): string {
  if (result.status === 'skipped') return `<p><strong>Skipped:</strong> ${escapeHtml(result.reason ?? '')}</p>`;
  if (result.status === 'blocked') {
    const by = result.blockedBy ?? '';
    const link = anchors.has(by) ? `<a href="#${anchors.get(by)}"><code>${escapeHtml(by)}</code></a>` : `<code>${escapeHtml(by)}</code>`;
    return [
      `<p><strong>Blocked by</strong> ${link}, whose failure explains this one (it does not count again).</p>`,
      // The reason repeats the check's id before that check's summary: the link above says it already.
      `<p>${escapeHtml((result.reason ?? '').replace(`blocked by ${by}: `, ''))}</p>`,
      result.failure ? `<p class="note">On its own it would have said: ${escapeHtml(result.failure.summary)}</p>` : '',
    ].join('');
  }
  const failure = result.failure;
  if (result.status !== 'failed' || !failure) return '';
  return [
    '<div class="failure">',
    `<p><strong>${escapeHtml(failure.summary)}</strong></p>`,
    `<dl class="outcome"><dt>Expected</dt><dd>${escapeHtml(failure.expected)}</dd><dt>Actual</dt><dd>${escapeHtml(failure.actual)}</dd></dl>`,
    failure.exchange ? failedExchange(failure.exchange) : '',
    '</div>',
  ].join('');
}

function checkSection(result: CheckResult, index: number, report: ConformanceReport, anchors: Map<string, string>, listed: ListedScenarios): string {
  const id = checkAnchor(result, index);
  const recorded = result.exchanges;
  const chartContext: ChartContext = {
    idPrefix: id,
    checkId: result.id,
    limit: report.limit,
    windowMs: report.windowMs,
    remainingHeader: report.headerNames?.remaining,
  };
  const chart =
    recorded && recorded.items.length > 0
      ? `<figure>${budgetChart(recorded, chartContext)}<figcaption>${chartLegend(recorded, chartContext)}Requests left to right in the order sent; the axis marks seconds since the run began.</figcaption></figure>${requestTable(recorded, { id: result.id, anchor: id }, result.status === 'failed', listed)}`
      : '';
  const took = result.status === 'skipped' && !recorded ? '' : `<p class="note">took ${Math.round(result.durationMs)} ms</p>`;
  return [
    `<article class="check ${result.status}" id="${id}" aria-labelledby="${id}-h">`,
    `<h3 id="${id}-h">${badge(result.status)} <code>${escapeHtml(result.id)}</code></h3>`,
    `<p class="title">${escapeHtml(result.title)}</p>`,
    `<p class="note">The documentation clause it enforces:</p><blockquote>${escapeHtml(result.clause)}</blockquote>`,
    outcome(result, anchors),
    took,
    chart,
    '</article>',
  ].join('');
}

function tocItem(result: CheckResult, anchors: Map<string, string>): string {
  return `<li><a href="#${anchors.get(result.id)}">${badge(result.status)} <code>${escapeHtml(result.id)}</code></a> ${escapeHtml(result.title)}</li>`;
}

/**
 * The HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched) that opens
 * from disk. A summary, then each check with its clause, verdict, the requests it sent, and a chart of
 * the remaining budget over time with the rejections marked. Light and dark, narrow screens, screen readers.
 * @example writeFileSync('report.html', formatHtmlReport(await runConformance(options)));
 */
export function formatHtmlReport(report: ConformanceReport): string {
  const { passed, failed, skipped, blocked } = report.summary;
  const total = report.results.length;
  const anchors = new Map(report.results.map((r, i) => [r.id, checkAnchor(r, i)]));
  const listed: ListedScenarios = new Map();
  const verdict = failed > 0 ? `Failed: ${failed} of ${total} checks failed` : `Passed: no check failed (${passed} passed, ${skipped} skipped)`;
  const clock =
    report.clock === 'virtual' ? "virtual (the mock's control API): windows passed without real waiting" : 'real: waits were real, bounded by the window';
  const attention = report.results.filter((r) => r.status === 'failed' || r.status === 'blocked');
  const counts = (['passed', 'failed', 'skipped', 'blocked'] as const).map((s) => `<tr><th scope="row">${badge(s)}</th><td>${report.summary[s]}</td></tr>`);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="color-scheme" content="light dark">',
    `<title>${escapeHtml(`${failed > 0 ? 'Failed' : 'Passed'}: rate-limit conformance of ${report.suite}`)}</title>`,
    `<style>${HTML_REPORT_STYLE}</style>`,
    '</head><body><div class="page">',
    '<header>',
    `<h1>Rate-limit conformance: ${escapeHtml(report.suite)}</h1>`,
    `<p class="verdict ${failed > 0 ? 'failed' : 'passed'}">${escapeHtml(verdict)}</p>`,
    '<dl class="settings">',
    `<dt>Target</dt><dd><code>${escapeHtml(report.target)}</code></dd>`,
    `<dt>Held to</dt><dd>${report.limit} request${report.limit === 1 ? '' : 's'} per ${escapeHtml(formatDurationLong(report.windowMs))}</dd>`,
    `<dt>Clock</dt><dd>${escapeHtml(clock)}</dd>`,
    `<dt>Took</dt><dd>${(report.durationMs / 1000).toFixed(1)} s</dd>`,
    '</dl></header>',
    '<main>',
    '<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>',
    `<table class="counts"><caption class="note">${total} checks by verdict</caption><tbody>${counts.join('')}</tbody></table>`,
    blocked > 0 ? `<p class="note">Blocked checks failed in a way an earlier failed check explains; they do not count as failures.</p>` : '',
    attention.length > 0
      ? `<h3 id="attention-h">Needs attention</h3><ul aria-labelledby="attention-h">${attention.map((r) => tocItem(r, anchors)).join('')}</ul>`
      : '',
    `<nav aria-labelledby="toc-h"><h3 id="toc-h">All checks</h3><ol class="toc">${report.results.map((r) => tocItem(r, anchors)).join('')}</ol></nav>`,
    '</section>',
    '<section aria-labelledby="checks-h"><h2 id="checks-h">Checks</h2>',
    ...report.results.map((result, index) => checkSection(result, index, report, anchors, listed)),
    '</section></main>',
    '<footer><p class="note">Written by ratelimit-contract verify. Credentials are masked; everything the server sent is shown as text.</p></footer>',
    '</div></body></html>',
    '',
  ].join('\n');
}
