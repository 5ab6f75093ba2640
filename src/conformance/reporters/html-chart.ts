import type { RecordedExchange, RecordedExchanges } from '../recorded-exchange.js';
import { escapeHtml, secondsText } from './html-escape.js';

/** What a chart needs besides the requests: the budget and the names to say it with. */
export interface ChartContext {
  /** A unique prefix for the chart's element ids. */
  idPrefix: string;
  checkId: string;
  limit: number;
  windowMs: number;
  /** The policy's remaining header, when it has one. */
  remainingHeader?: string;
}

const WIDTH = 360;
const LEFT = 46;
const RIGHT = WIDTH - 8;
const TOP = 14;
const BOTTOM = 108;
/** Series styles for the callers of a check (line dash, and the point's fill); more callers reuse them. */
const SERIES = 4;

const round = (n: number) => Math.round(n * 10) / 10;

/** `requests 6 and 12 (at 0.010 s and 1.034 s)`: at most five, then how many more. */
function listRejections(rejected: Array<{ n: number; at: number }>): string {
  const shown = rejected.slice(0, 5);
  const numbers = shown.map((r) => r.n).join(', ');
  const times = shown.map((r) => secondsText(r.at)).join(', ');
  const more = rejected.length > shown.length ? ` and ${rejected.length - shown.length} more` : '';
  return `request${rejected.length === 1 ? '' : 's'} ${numbers} (at ${times})${more}`;
}

/** The sequence number of each recorded request among all the check sent (left-out ones count). */
export function sequenceNumbers(items: RecordedExchange[]): number[] {
  let n = 0;
  return items.map((item) => {
    n += 1 + (item.omittedBefore ?? 0);
    return n;
  });
}

/** The chart's text alternative: what the picture shows, in one or two sentences. */
export function describeChart(recorded: RecordedExchanges, ctx: ChartContext): string {
  const { items, total } = recorded;
  const numbers = sequenceNumbers(items);
  const callers = new Set(items.map((i) => i.caller)).size;
  const sent = `${total} request${total === 1 ? '' : 's'} from ${callers} caller${callers === 1 ? '' : 's'}${total > items.length ? ` (${items.length} shown, ${total - items.length} left out in the middle)` : ''}`;
  const rejected = items.flatMap((item, i) => (item.rejected ? [{ n: numbers[i] as number, at: item.sentAtMs, status: item.status }] : []));
  const status = rejected[0]?.status;
  const rejections = rejected.length === 0 ? 'none was rejected' : `${rejected.length} rejected with ${status}: ${listRejections(rejected)}`;
  const values = items.flatMap((i) => (i.remaining === undefined ? [] : [i.remaining]));
  if (values.length === 0 || ctx.remainingHeader === undefined) {
    const why = ctx.remainingHeader === undefined ? 'the policy declares no remaining header' : `no ${ctx.remainingHeader} header came back`;
    return `${sent}; ${why}, so the chart shows which were allowed and which rejected; ${rejections}.`;
  }
  const first = values[0] as number;
  const lowest = Math.min(...values);
  return `${sent}; ${ctx.remainingHeader} went from ${first} down to ${lowest} (limit ${ctx.limit}); ${rejections}.`;
}

/** `0 s`, `2 s`, `1.034 s`: the axis drops trailing zeros. */
const axisSeconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

/** Where the x axis says the time: the first request, and each one that comes after the clock moved on. */
function timeLabels(items: RecordedExchange[], x: (i: number) => number, windowMs: number): string {
  const parts: string[] = [];
  let lastAt = Number.NEGATIVE_INFINITY;
  let lastX = Number.NEGATIVE_INFINITY;
  const step = Math.max(1, windowMs / 10);
  items.forEach((item, i) => {
    const xi = x(i);
    if (item.sentAtMs - lastAt < step && i > 0) return;
    lastAt = item.sentAtMs;
    if (xi - lastX < 48) return;
    lastX = xi;
    parts.push(`<line class="tick" x1="${round(xi)}" x2="${round(xi)}" y1="${BOTTOM}" y2="${BOTTOM + 4}"/>`);
    parts.push(`<text class="label" x="${round(xi)}" y="${BOTTOM + 14}" text-anchor="middle">${axisSeconds(item.sentAtMs)}</text>`);
  });
  return parts.join('');
}

/**
 * A small chart of the budget a check watched: one point per request in the order sent (x), at the
 * remaining count that came back (y), a line per caller; each rejection is a cross on a full-height rule,
 * so 429s show by shape and position as well as colour. Without a remaining header, two lanes: allowed
 * and rejected. Inline SVG with a <title> and <desc>; the request table beside it holds the same data.
 */
export function budgetChart(recorded: RecordedExchanges, ctx: ChartContext): string {
  const { items } = recorded;
  if (items.length === 0) return '';
  const lanes = ctx.remainingHeader === undefined || items.every((i) => i.remaining === undefined);
  const top = lanes ? 1 : Math.max(ctx.limit, ...items.map((i) => i.remaining ?? 0), 1);
  const slot = (RIGHT - LEFT) / items.length;
  const x = (i: number) => LEFT + (i + 0.5) * slot;
  const y = (value: number) => BOTTOM - ((BOTTOM - TOP) * value) / top;
  const callers = [...new Set(items.map((i) => i.caller))];
  const parts: string[] = [];
  // Axes and the y labels.
  parts.push(
    `<line class="axis" x1="${LEFT}" x2="${RIGHT}" y1="${BOTTOM}" y2="${BOTTOM}"/>`,
    `<line class="grid" x1="${LEFT}" x2="${RIGHT}" y1="${TOP}" y2="${TOP}"/>`,
  );
  const [high, low] = lanes ? ['allowed', 'rejected'] : [String(top), '0'];
  parts.push(
    `<text class="label" x="${LEFT - 4}" y="${TOP + 3}" text-anchor="end">${escapeHtml(high)}</text>`,
    `<text class="label" x="${LEFT - 4}" y="${BOTTOM + 3}" text-anchor="end">${escapeHtml(low)}</text>`,
  );
  // Requests left out of the record: a dashed rule with the count.
  items.forEach((item, i) => {
    if (!item.omittedBefore) return;
    const xg = round(x(i) - slot / 2);
    parts.push(`<line class="gap" x1="${xg}" x2="${xg}" y1="${TOP - 4}" y2="${BOTTOM}"/>`);
    parts.push(`<text class="label" x="${xg}" y="${TOP - 5}" text-anchor="middle">+${item.omittedBefore}</text>`);
  });
  // A line per caller through its remaining counts.
  if (!lanes)
    for (const caller of callers) {
      const points = items.flatMap((item, i) => (item.caller === caller && item.remaining !== undefined ? [`${round(x(i))},${round(y(item.remaining))}`] : []));
      if (points.length > 1) parts.push(`<polyline class="series s${callers.indexOf(caller) % SERIES}" points="${points.join(' ')}"/>`);
    }
  // One path per kind of mark (a zero-length segment with a round cap draws a dot): small at 50 points.
  const dots = callers.map(() => [] as string[]);
  const bare: string[] = [];
  const rules: string[] = [];
  const crosses: string[] = [];
  items.forEach((item, i) => {
    const xi = round(x(i));
    const level = lanes ? (item.rejected ? 0 : 1) : (item.remaining ?? (item.rejected ? 0 : undefined));
    if (item.rejected) {
      const yi = round(y(level ?? 0));
      rules.push(`M${xi} ${TOP}V${BOTTOM}`);
      crosses.push(`M${round(xi - 4)} ${yi - 4}l8 8m0 -8l-8 8`);
    } else if (level === undefined) bare.push(`M${xi} ${BOTTOM}h0`);
    else dots[callers.indexOf(item.caller)]?.push(`M${xi} ${round(y(level))}h0`);
  });
  dots.forEach((d, k) => {
    if (d.length > 0) parts.push(`<path class="dots s${k % SERIES}" d="${d.join('')}"/>`);
  });
  if (bare.length > 0) parts.push(`<path class="dots none" d="${bare.join('')}"/>`);
  if (rules.length > 0) parts.push(`<path class="rule" d="${rules.join('')}"/>`, `<path class="reject" d="${crosses.join('')}"/>`);
  parts.push(timeLabels(items, x, ctx.windowMs));
  const titleId = `${ctx.idPrefix}-chart-title`;
  const descId = `${ctx.idPrefix}-chart-desc`;
  const what = lanes ? 'Allowed and rejected requests over time' : 'Remaining budget over time';
  return [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${BOTTOM + 20}" role="img" aria-labelledby="${titleId} ${descId}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${titleId}">${escapeHtml(`${what}: ${ctx.checkId}`)}</title>`,
    `<desc id="${descId}">${escapeHtml(describeChart(recorded, ctx))}</desc>`,
    ...parts,
    '</svg>',
  ].join('');
}

/** The legend under a chart: what each mark means, and the line style of each caller. */
export function chartLegend(recorded: RecordedExchanges, ctx: ChartContext): string {
  const callers = [...new Set(recorded.items.map((i) => i.caller))];
  const lanes = ctx.remainingHeader === undefined || recorded.items.every((i) => i.remaining === undefined);
  const swatch = (inner: string) => `<svg class="swatch" viewBox="0 0 16 10" aria-hidden="true">${inner}</svg>`;
  const status = recorded.items.find((i) => i.rejected)?.status;
  const marks = [
    `<li>${swatch('<path class="dots s0" d="M8 5h0"/>')} allowed${lanes ? '' : `, at the ${escapeHtml(ctx.remainingHeader ?? '')} that came back`}</li>`,
    `<li>${swatch('<line class="rule" x1="8" x2="8" y1="0" y2="10"/><path class="reject" d="M4 1L12 9M12 1L4 9"/>')} rejected${status === undefined ? '' : ` (${status})`}</li>`,
  ];
  if (!lanes && recorded.items.some((i) => i.remaining === undefined && !i.rejected))
    marks.push(`<li>${swatch('<path class="dots none" d="M8 5h0"/>')} allowed, no ${escapeHtml(ctx.remainingHeader ?? '')} header</li>`);
  if (recorded.total > recorded.items.length) marks.push(`<li>${swatch('<line class="gap" x1="8" x2="8" y1="0" y2="10"/>')} requests left out (+count)</li>`);
  if (!lanes && callers.length > 1)
    callers.forEach((caller, i) => {
      marks.push(`<li>${swatch(`<line class="series s${i % SERIES}" x1="0" x2="16" y1="5" y2="5"/>`)} ${escapeHtml(caller)}</li>`);
    });
  return `<ul class="legend">${marks.join('')}</ul>`;
}
