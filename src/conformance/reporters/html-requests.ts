import { STATUS_CODES } from 'node:http';
import type { Exchange } from '../conformance-check.js';
import type { RecordedExchange, RecordedExchanges } from '../recorded-exchange.js';
import { sequenceNumbers } from './html-chart.js';
import { escapeHtml, secondsText } from './html-escape.js';

const NOISE = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
const BODY_SHOWN = 2000;

/** `name: value` lines (already masked by the suite), one per header. */
function headerLines(headers: Record<string, string>, skip: Set<string> = new Set()): string {
  const lines = Object.entries(headers)
    .filter(([name]) => !skip.has(name))
    .map(([name, value]) => `${name}: ${value}`);
  // Header values cannot hold a newline, so pre-line shows one header per line.
  return lines.length > 0 ? `<code class="hdrs">${escapeHtml(lines.join('\n'))}</code>` : '';
}

const statusText = (status: number) => escapeHtml(`${status} ${STATUS_CODES[status] ?? ''}`.trim());

function how(item: Pick<RecordedExchange, 'localAddress' | 'connection'>): string {
  const notes: string[] = [];
  if (item.localAddress) notes.push(`from ${item.localAddress}`);
  if (item.connection === 'fresh') notes.push('over a new connection');
  else if (typeof item.connection === 'number') notes.push(`over keep-alive socket ${item.connection}`);
  return notes.length > 0 ? `<span class="note">${escapeHtml(notes.join(', '))}</span>` : '';
}

function row(item: RecordedExchange, n: number): string {
  const gap = item.omittedBefore
    ? `<tr class="gap"><td colspan="3">… ${item.omittedBefore} request${item.omittedBefore === 1 ? '' : 's'} left out of the record …</td></tr>`
    : '';
  const sent = [
    `<span class="note">${secondsText(item.sentAtMs)}, ${escapeHtml(item.caller)}${item.scenario ? ` (shared scenario ${escapeHtml(item.scenario)})` : ''}</span>`,
    `<code>${escapeHtml(item.method)} ${escapeHtml(item.path)}</code>`,
    item.step ? `<span class="note">${escapeHtml(item.step)}</span>` : '',
    headerLines(item.headers),
    how(item),
  ].join('');
  const status = item.rejected ? `<strong class="rejected">${statusText(item.status)}</strong>` : statusText(item.status);
  const limits = headerLines(item.rateLimitHeaders) || '<span class="note">no rate-limit headers</span>';
  return `${gap}<tr${item.rejected ? ' class="rejected"' : ''}><th scope="row">${n}</th><td>${sent}</td><td>${status}${limits}</td></tr>`;
}

/** Where a shared scenario's requests were first listed: the check's id and its anchor. */
export type ListedScenarios = Map<string, { checkId: string; anchor: string }>;

/**
 * The rows of a table: a shared scenario already listed under an earlier check (several checks read one
 * exhausted budget) becomes one row that links there, so each request is listed once per report.
 */
function rows(items: RecordedExchange[], listed: ListedScenarios): string {
  const numbers = sequenceNumbers(items);
  const out: string[] = [];
  for (let i = 0; i < items.length; ) {
    const item = items[i] as RecordedExchange;
    const where = item.scenario === undefined ? undefined : listed.get(item.scenario);
    if (!where) {
      out.push(row(item, numbers[i] as number));
      i += 1;
      continue;
    }
    let end = i;
    while (end + 1 < items.length && items[end + 1]?.scenario === item.scenario) end += 1;
    const from = (numbers[i] as number) - (item.omittedBefore ?? 0);
    const range = `#${from}–${numbers[end]}`;
    out.push(
      `<tr class="gap"><td colspan="3">${range}: requests of the shared scenario ${escapeHtml(item.scenario ?? '')}, listed under <a href="#${where.anchor}">${escapeHtml(where.checkId)}</a></td></tr>`,
    );
    i = end + 1;
  }
  return out.join('');
}

/** The requests of one check as a table with a caption, inside a <details> (open for a failed check). */
export function requestTable(recorded: RecordedExchanges, check: { id: string; anchor: string }, open: boolean, listed: ListedScenarios): string {
  const { items, total } = recorded;
  const checkId = check.id;
  const shown = total > items.length ? `${total} sent, the first and last ${items.length} shown` : `${total} sent`;
  const body = rows(items, listed);
  for (const item of items) if (item.scenario !== undefined && !listed.has(item.scenario)) listed.set(item.scenario, { checkId, anchor: check.anchor });
  return [
    `<details class="requests"${open ? ' open' : ''}><summary>Requests (${escapeHtml(shown)})</summary>`,
    '<div class="scroll">',
    `<table class="log"><caption>Requests of ${escapeHtml(checkId)} in the order sent, with the rate-limit headers that came back; times in seconds since the run began</caption>`,
    '<thead><tr><th scope="col">#</th><th scope="col">Request: when, by whom, what</th><th scope="col">Response: status and rate-limit headers</th></tr></thead>',
    `<tbody>${body}</tbody></table></div></details>`,
  ].join('');
}

/** The request that showed a failure, with its whole response (headers and body, escaped). */
export function failedExchange(exchange: Exchange): string {
  const { request, response } = exchange;
  const body = response.text.length > BODY_SHOWN ? `${response.text.slice(0, BODY_SHOWN)}…` : response.text;
  const noise = new Set(NOISE);
  return [
    '<dl class="exchange">',
    `<dt>Request</dt><dd><code>${escapeHtml(request.method)} ${escapeHtml(request.path)}</code>${headerLines(request.headers)}${how(request)}</dd>`,
    `<dt>As</dt><dd>${escapeHtml(exchange.caller)}${exchange.step ? `, ${escapeHtml(exchange.step)}` : ''}</dd>`,
    `<dt>Response</dt><dd><strong>${statusText(response.status)}</strong>${headerLines(response.headers, noise)}${body ? `<pre>${escapeHtml(body)}</pre>` : ''}</dd>`,
    '</dl>',
  ].join('');
}
