import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../conformance-check.js';
import type { RecordedExchange } from '../recorded-exchange.js';
import type { ConformanceReport } from '../run-conformance.js';
import { formatHtmlReport } from './html.js';
import { describeChart } from './html-chart.js';

// The HTML report as text: self-contained, every server-sent string escaped, each verdict shown in words,
// and a chart with a text alternative that says where the 429s are.

const HOSTILE = `</pre><script>window.pwned=1</script><img src=x onerror="window.pwned=2">'"&`;

const sent = (n: number, remaining: number | undefined, extra: Partial<RecordedExchange> = {}): RecordedExchange => ({
  sentAtMs: n * 10,
  receivedAtMs: n * 10 + 1,
  caller: 'org_acme',
  step: `request ${n} in the window, limit 3`,
  method: 'GET',
  path: '/v1/items',
  headers: { authorization: 'Bearer rl_test_…' },
  status: remaining === undefined || remaining >= 0 ? 200 : 429,
  rejected: false,
  rateLimitHeaders: remaining === undefined ? {} : { 'ratelimit-remaining': String(Math.max(remaining, 0)) },
  ...(remaining === undefined ? {} : { remaining: Math.max(remaining, 0) }),
  ...extra,
});

const rejected = (n: number) => sent(n, 0, { status: 429, rejected: true, rateLimitHeaders: { 'ratelimit-remaining': '0', 'retry-after': HOSTILE } });

function report(results: CheckResult[], remaining: string | undefined = 'ratelimit-remaining'): ConformanceReport {
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  return {
    suite: 'my-api.yaml',
    target: 'http://127.0.0.1:3001',
    clock: 'real',
    limit: 3,
    windowMs: 2000,
    durationMs: 2345,
    results,
    summary: { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), blocked: count('blocked') },
    headerNames: remaining === undefined ? {} : { remaining, retryAfter: 'retry-after' },
  };
}

const failedResult: CheckResult = {
  id: 'spec/429-after-exactly-limit',
  title: 'request limit + 1 is the first 429',
  clause: 'x-rate-limit.limit: 3 per 2 seconds',
  status: 'failed',
  durationMs: 41,
  failure: {
    summary: `The server said ${HOSTILE}`,
    expected: 'a 429 at request 4',
    actual: HOSTILE,
    exchange: {
      request: { method: 'GET', path: `/v1/items?q=${HOSTILE}`, headers: { authorization: 'Bearer rl_test_…' } },
      response: { status: 429, headers: { 'x-evil': HOSTILE }, text: HOSTILE },
      sentAtMs: 40,
      receivedAtMs: 41,
      caller: 'org_acme',
    },
  },
  exchanges: { items: [sent(1, 2), sent(2, 1), sent(3, 0), rejected(4)], total: 4 },
};

const others: CheckResult[] = [
  { id: 'spec/remaining-counts-down', title: 'remaining goes down', clause: 'remaining', status: 'passed', durationMs: 3, exchanges: { items: [], total: 0 } },
  { id: 'spec/other-key-untouched', title: 'other keys', clause: 'per key', status: 'skipped', durationMs: 0, reason: 'no principal in the credentials file' },
  {
    id: 'spec/budget-back-after-retry-after',
    title: 'budget back',
    clause: 'retry-after',
    status: 'blocked',
    durationMs: 5,
    blockedBy: 'spec/429-after-exactly-limit',
    reason: 'blocked by spec/429-after-exactly-limit: off by one',
    failure: { summary: 'the budget did not come back', expected: 'a 200', actual: 'a 429' },
  },
];

describe('formatHtmlReport', () => {
  const html = formatHtmlReport(report([failedResult, ...others]));

  it('is one self-contained document: no script, nothing fetched, a policy that forbids both', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'`);
    expect(html).not.toMatch(/<(script|img|link|iframe|object|embed)\b|<[^>]+\ssrc=|url\(|@import/i);
    expect(html.match(/href="([^"]*)"/g)?.every((href) => href.startsWith('href="#'))).toBe(true);
  });

  it('escapes everything a server sent: headers, bodies, paths and messages quoting them', () => {
    const escaped = '&lt;/pre&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.pwned=2&quot;&gt;&#39;&quot;&amp;';
    expect(html.split(escaped).length - 1).toBeGreaterThanOrEqual(5);
    expect(html).not.toContain('window.pwned=1</script>');
  });

  it('shows each verdict in words, opens the failed check, and links a blocked check to the one that explains it', () => {
    for (const status of ['passed', 'failed', 'skipped', 'blocked']) expect(html).toMatch(new RegExp(`<span class="badge b-${status}">. ${status}</span>`));
    expect(html).toContain('<p class="verdict failed">Failed: 1 of 4 checks failed</p>');
    expect(html).toContain('<details class="requests" open><summary>Requests (4 sent)</summary>');
    expect(html).toMatch(/<strong>Blocked by<\/strong> <a href="#check-1-spec-429-after-exactly-limit"><code>spec\/429-after-exactly-limit<\/code><\/a>/);
    expect(html).toContain('<p>off by one</p><p class="note">On its own it would have said: the budget did not come back</p>');
    expect(html).toContain('<p><strong>Skipped:</strong> no principal in the credentials file</p>');
  });

  it('draws a chart with a title and a description that names the 429s', () => {
    expect(html).toMatch(
      /<svg class="chart"[^>]* role="img" aria-labelledby="check-1-spec-429-after-exactly-limit-chart-title check-1-spec-429-after-exactly-limit-chart-desc"/,
    );
    expect(html).toContain('<title id="check-1-spec-429-after-exactly-limit-chart-title">Remaining budget over time: spec/429-after-exactly-limit</title>');
    expect(html).toContain('4 requests from 1 caller; ratelimit-remaining went from 2 down to 0 (limit 3); 1 rejected with 429: request 4 (at 0.040 s).');
    expect(html).toContain('<path class="reject" d="');
  });

  it('without a remaining header, charts allowed and rejected requests in two lanes and says why', () => {
    const lanes = { items: [sent(1, undefined), sent(2, undefined), sent(3, undefined, { status: 429, rejected: true })], total: 3 };
    const text = describeChart(lanes, { idPrefix: 'c', checkId: 'x', limit: 3, windowMs: 1000 });
    expect(text).toBe(
      '3 requests from 1 caller; the policy declares no remaining header, so the chart shows which were allowed and which rejected; 1 rejected with 429: request 3 (at 0.030 s).',
    );
    const page = formatHtmlReport(report([{ ...failedResult, exchanges: lanes }], undefined));
    expect(page).toContain('Allowed and rejected requests over time: spec/429-after-exactly-limit');
  });

  it('marks requests left out of a long run, in the chart and the table', () => {
    const items = [sent(1, 2), sent(2, 1), { ...rejected(300), omittedBefore: 297 }];
    const page = formatHtmlReport(report([{ ...failedResult, exchanges: { items, total: 300 } }]));
    expect(page).toContain('<summary>Requests (300 sent, the first and last 3 shown)</summary>');
    expect(page).toContain('… 297 requests left out of the record …');
    expect(page).toMatch(/<line class="gap" [^>]*\/><text class="label"[^>]*>\+297<\/text>/);
    expect(page).toContain('1 rejected with 429: request 300 (at 3.000 s)');
  });
});
