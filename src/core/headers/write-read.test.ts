import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../decision.js';
import type { HeaderFormat, LimitPolicy } from '../policy.js';
import { detectRateLimitHeaders } from './detect-headers.js';
import { formatDurationText, parseDurationText } from './duration-text.js';
import { headerGetter } from './header-getter.js';
import { sentHeaderNames } from './header-names.js';
import { readRateLimitHeaders } from './read-headers.js';
import { readRetryAfter, writeReset, writeRetryAfter } from './time-values.js';
import { intText } from './whole-numbers.js';
import { createHeaderWriter } from './write-headers.js';

const rejection = { status: 429, contentType: 'application/json', body: {}, retryAfter: true };
const limit = (name: string, fields: Partial<LimitPolicy> = {}): LimitPolicy => ({
  name,
  limit: 100,
  windowMs: 60_000,
  algorithm: 'fixed-window',
  key: { by: 'ip' },
  cost: 1,
  unit: 'requests',
  bucket: 'shared',
  report: true,
  rejection,
  ...fields,
});
const format = (fields: Partial<HeaderFormat> = {}): HeaderFormat => ({
  style: 'named',
  names: { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', retryAfter: 'retry-after' },
  resetFormat: 'seconds',
  retryAfterFormat: 'seconds',
  partitionKey: false,
  ...fields,
});
const allowed = (remaining: number, resetMs: number, limitValue = 100): Decision => ({ allowed: true, limit: limitValue, remaining, resetMs, retryAfterMs: 0 });
const refused = (resetMs: number, limitValue = 100): Decision => ({ allowed: false, limit: limitValue, remaining: 0, resetMs, retryAfterMs: resetMs });
const pairs = (flat: string[]) => Object.fromEntries(flat.flatMap((_, i) => (i % 2 === 0 ? [[flat[i], flat[i + 1]]] : [])));
const NOW = 1_700_000_000_250;

describe('the write side', () => {
  it('ReconLayer: x-ratelimit-* with the reset in seconds, and retry-after only on a rejection', () => {
    const write = createHeaderWriter(format(), [limit('default', { limit: 300 })]);
    expect(write([allowed(287, 41_200, 300)], NOW)).toEqual(['x-ratelimit-limit', '300', 'x-ratelimit-remaining', '287', 'x-ratelimit-reset', '42']);
    expect(pairs(write([refused(38_000, 300)], NOW, { index: 0, retryAfterMs: 38_000 }))).toEqual({
      'x-ratelimit-limit': '300',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '38',
      'retry-after': '38',
    });
  });

  it('GitHub: the reset as an epoch second (rounded up), used and resource; no retry-after where the limit sends none', () => {
    const names = {
      limit: 'x-ratelimit-limit',
      remaining: 'x-ratelimit-remaining',
      reset: 'x-ratelimit-reset',
      used: 'x-ratelimit-used',
      resource: 'x-ratelimit-resource',
      retryAfter: 'retry-after',
    };
    const core = limit('core', { limit: 5000, rejection: { ...rejection, retryAfter: false } });
    const write = createHeaderWriter(format({ names, resetFormat: 'epoch-seconds' }), [core]);
    expect(pairs(write([refused(1_800_000, 5000)], NOW, { index: 0, retryAfterMs: 1_800_000 }))).toEqual({
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.ceil((NOW + 1_800_000) / 1000)),
      'x-ratelimit-used': '5000',
      'x-ratelimit-resource': 'core',
    });
  });

  it('OpenAI: each limit under names of its own, resets as durations', () => {
    const requests = limit('requests', {
      headers: { limit: 'x-ratelimit-limit-requests', remaining: 'x-ratelimit-remaining-requests', reset: 'x-ratelimit-reset-requests' },
    });
    const tokens = limit('tokens', {
      limit: 40_000,
      unit: 'tokens',
      headers: { limit: 'x-ratelimit-limit-tokens', remaining: 'x-ratelimit-remaining-tokens', reset: 'x-ratelimit-reset-tokens' },
    });
    const write = createHeaderWriter(format({ names: {}, resetFormat: 'duration' }), [requests, tokens]);
    expect(pairs(write([allowed(59, 1_000), allowed(39_000, 360_000, 40_000)], NOW))).toEqual({
      'x-ratelimit-limit-requests': '100',
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-limit-tokens': '40000',
      'x-ratelimit-remaining-tokens': '39000',
      'x-ratelimit-reset-tokens': '6m0s',
    });
  });

  it('shared names report the limit closest to running out: the one that rejected, else the least remaining', () => {
    const write = createHeaderWriter(format(), [limit('burst', { limit: 10, windowMs: 1000 }), limit('quota', { limit: 1000 })]);
    expect(pairs(write([allowed(9, 1000, 10), allowed(5, 60_000, 1000)], NOW))['x-ratelimit-limit']).toBe('1000');
    expect(pairs(write([allowed(2, 1000, 10), allowed(5, 60_000, 1000)], NOW))['x-ratelimit-limit']).toBe('10');
    expect(pairs(write([refused(1000, 10), allowed(5, 60_000, 1000)], NOW, { index: 0, retryAfterMs: 1000 }))['x-ratelimit-limit']).toBe('10');
  });

  it('express-rate-limit draft-6: RateLimit-Policy, -Limit, -Remaining, -Reset', () => {
    const write = createHeaderWriter(format({ style: 'draft-6', names: { retryAfter: 'retry-after' } }), [limit('default')]);
    expect(write([allowed(50, 30_000)], NOW)).toEqual([
      'ratelimit-policy',
      '100;w=60',
      'ratelimit-limit',
      '100',
      'ratelimit-remaining',
      '50',
      'ratelimit-reset',
      '30',
    ]);
  });

  it('express-rate-limit draft-7: RateLimit as a Dictionary', () => {
    const write = createHeaderWriter(format({ style: 'draft-7', names: {} }), [limit('default')]);
    expect(write([allowed(50, 30_000)], NOW)).toEqual(['ratelimit-policy', '100;w=60', 'ratelimit', 'limit=100, remaining=50, reset=30']);
  });

  it('draft-12: every limit in both fields, other units as qu, retry-after on a rejection', () => {
    const write = createHeaderWriter(format({ style: 'draft-12', names: { retryAfter: 'retry-after' } }), [
      limit('burst', { limit: 10, windowMs: 1000 }),
      limit('daily', { limit: 1000, windowMs: 86_400_000, unit: 'content-bytes' }),
    ]);
    expect(pairs(write([refused(1000, 10), allowed(999, 86_000_000, 1000)], NOW, { index: 0, retryAfterMs: 1000 }))).toEqual({
      ratelimit: '"burst";r=0;t=1, "daily";r=999;t=86000',
      'ratelimit-policy': '"burst";q=10;w=1, "daily";q=1000;w=86400;qu="content-bytes"',
      'retry-after': '1',
    });
  });

  it('lists the names each style sends, for lint and for stripping rendered examples', () => {
    expect(sentHeaderNames(format({ style: 'draft-8', names: { retryAfter: 'retry-after' } }), [limit('a')])).toEqual({
      budget: ['ratelimit', 'ratelimit-policy'],
      rejection: ['retry-after'],
    });
    expect(sentHeaderNames(format(), [limit('a', { report: false, rejection: { ...rejection, retryAfter: false } })])).toEqual({ budget: [], rejection: [] });
  });

  it('small whole numbers come from a table, others are formatted', () => {
    expect([intText(0), intText(4095), intText(4096), intText(-1)]).toEqual(['0', '4095', '4096', '-1']);
  });
});

describe('time values', () => {
  it.each([
    [0, '0s'],
    [59, '59ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [17_310, '17.31s'],
    [60_000, '1m0s'],
    [360_000, '6m0s'],
    [3_600_000, '1h0m0s'],
    [3_723_004, '1h2m3.004s'],
  ])('%i ms is the Go duration %s, and reads back', (ms, text) => {
    expect(formatDurationText(ms)).toBe(text);
    expect(parseDurationText(text)).toBe(ms);
  });

  it('any whole number of milliseconds survives a write and a read', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e10 }), (ms) => parseDurationText(formatDurationText(ms)) === ms));
  });

  it.each(['', '6m0', 'm', '1x', '-1s', '1.2.3s'])('"%s" is not a duration', (text) => {
    expect(parseDurationText(text)).toBeUndefined();
  });

  it('an HTTP-date retry-after names the first whole second the wait allows, and reads back as at least the wait', () => {
    const text = writeRetryAfter('http-date', 1_500, NOW);
    expect(text).toBe(new Date(Math.ceil((NOW + 1_500) / 1000) * 1000).toUTCString());
    expect(readRetryAfter(text, NOW)).toBeGreaterThanOrEqual(1_500);
    expect(readRetryAfter('7', NOW)).toBe(7_000);
    expect(writeReset('epoch-seconds', 0, NOW)).toBe(String(Math.ceil(NOW / 1000)));
  });
});

describe('the read side', () => {
  const draft = (style: HeaderFormat['style']) => format({ style, names: { retryAfter: 'retry-after' } });
  const decisionArb = fc.record({ remaining: fc.integer({ min: 0, max: 1000 }), resetMs: fc.integer({ min: 0, max: 86_400_000 }) });

  it.each<HeaderFormat['style']>(['named', 'draft-6', 'draft-7', 'draft-8', 'draft-12'])('%s: reads back what the write side wrote', (style) => {
    const f = style === 'named' ? format() : draft(style);
    const limits = [limit('default', { limit: 1000 })];
    const write = createHeaderWriter(f, limits);
    fc.assert(
      fc.property(decisionArb, fc.boolean(), ({ remaining, resetMs }, reject) => {
        const d: Decision = { allowed: !reject, limit: 1000, remaining: reject ? 0 : remaining, resetMs, retryAfterMs: reject ? resetMs : 0 };
        const flat = write([d], NOW, reject ? { index: 0, retryAfterMs: resetMs } : undefined);
        const reading = readRateLimitHeaders({ headers: f, limits }, headerGetter(flat), NOW);
        expect(reading.problems).toEqual([]);
        expect(reading.limits[0]).toMatchObject({ limit: 1000, remaining: d.remaining, resetMs: Math.ceil(resetMs / 1000) * 1000 });
        expect(reading.retryAfterMs).toBe(reject ? Math.ceil(resetMs / 1000) * 1000 : undefined);
      }),
      { numRuns: 100 },
    );
  });

  it('draft-12: every policy, by name, with its window', () => {
    const get = headerGetter({ RateLimit: '"burst";r=0;t=1, "daily";r=999;t=86000', 'RateLimit-Policy': '"burst";q=10;w=1, "daily";q=1000;w=86400' });
    const reading = readRateLimitHeaders({ headers: draft('draft-12'), limits: [] }, get, NOW);
    expect(reading.limits).toEqual([
      { name: 'burst', limit: 10, remaining: 0, resetMs: 1_000, windowMs: 1_000, unit: undefined },
      { name: 'daily', limit: 1000, remaining: 999, resetMs: 86_000_000, windowMs: 86_400_000, unit: undefined },
    ]);
  });

  it('names the defect when a field has another draft syntax: draft-7 where draft-8 is declared, and the reverse', () => {
    const draft7Sent = headerGetter({ ratelimit: 'limit=100, remaining=50, reset=30', 'ratelimit-policy': '100;w=60' });
    const asDraft8 = readRateLimitHeaders({ headers: draft('draft-8'), limits: [] }, draft7Sent, NOW);
    expect(asDraft8.limits).toEqual([]);
    expect(asDraft8.problems.map((p) => `${p.header} ${p.message}`)).toEqual([
      expect.stringMatching(/^ratelimit-policy has 100 where a policy name .*draft-6\/7 syntax/),
      expect.stringMatching(/^ratelimit is not a Structured Field List of service limits .*draft-7 syntax/),
    ]);
    const draft8Sent = headerGetter({ ratelimit: '"default";r=50;t=30' });
    const asDraft7 = readRateLimitHeaders({ headers: draft('draft-7'), limits: [] }, draft8Sent, NOW);
    expect(asDraft7.problems[0]?.message).toMatch(/draft-8 syntax/);
  });

  it('flags a policy named by a Token where the draft asks for a String', () => {
    const reading = readRateLimitHeaders({ headers: draft('draft-12'), limits: [] }, headerGetter({ ratelimit: 'default;r=5;t=3' }), NOW);
    expect(reading.limits[0]).toMatchObject({ name: 'default', remaining: 5 });
    expect(reading.problems[0]?.message).toMatch(/Token/);
  });

  it('a reset in another format than declared does not read as one', () => {
    const epoch = headerGetter({ 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '6m0s' });
    const reading = readRateLimitHeaders({ headers: format({ resetFormat: 'epoch-seconds' }), limits: [] }, epoch, NOW);
    expect(reading.limits[0]?.resetMs).toBeUndefined();
    expect(reading.problems[0]).toMatchObject({ header: 'x-ratelimit-reset', message: 'is not a reset in epoch-seconds' });
  });
});

describe('reading without a policy', () => {
  it.each([
    [
      'GitHub (epoch reset)',
      { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(NOW / 1000) + 120), 'x-ratelimit-resource': 'core' },
      { name: 'core', remaining: 0, limit: 60 },
    ],
    ['ReconLayer (seconds)', { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '7', 'x-ratelimit-reset': '42' }, { remaining: 7, resetMs: 42_000 }],
    [
      '@fastify/rate-limit enableDraftSpec',
      { 'ratelimit-limit': '5', 'ratelimit-remaining': '4', 'ratelimit-reset': '60' },
      { limit: 5, remaining: 4, resetMs: 60_000 },
    ],
    ['draft-7', { ratelimit: 'limit=5, remaining=4, reset=60' }, { limit: 5, remaining: 4, resetMs: 60_000 }],
    [
      'draft-8',
      { ratelimit: '"5-in-1min"; r=4; t=60', 'ratelimit-policy': '"5-in-1min"; q=5; w=60; pk=:YWJj:' },
      { name: '5-in-1min', limit: 5, remaining: 4 },
    ],
    [
      'OpenAI (durations, per limit)',
      { 'x-ratelimit-remaining-requests': '59', 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-remaining-tokens': '100', 'x-ratelimit-reset-tokens': '6m0s' },
      { name: 'requests', remaining: 59, resetMs: 1_000 },
    ],
  ])('%s', (_name, headers, expected) => {
    expect(detectRateLimitHeaders(headerGetter(headers), NOW).limits[0]).toMatchObject(expected);
  });

  it('GitHub: the epoch reset reads as the time left', () => {
    const reading = detectRateLimitHeaders(headerGetter({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(NOW / 1000) + 120) }), NOW);
    expect(reading.limits[0]?.resetMs).toBe(Math.ceil(NOW / 1000) * 1000 + 120_000 - NOW);
  });

  it('OpenAI: both limits', () => {
    const reading = detectRateLimitHeaders(
      headerGetter({
        'x-ratelimit-remaining-requests': '59',
        'x-ratelimit-reset-requests': '1s',
        'x-ratelimit-remaining-tokens': '100',
        'x-ratelimit-reset-tokens': '6m0s',
      }),
      NOW,
    );
    expect(reading.limits.map((l) => [l.name, l.remaining, l.resetMs])).toEqual([
      ['requests', 59, 1_000],
      ['tokens', 100, 360_000],
    ]);
  });
});

describe('field templates', () => {
  it('write exactly what structured-headers writes, for any names and numbers', async () => {
    const { compileFieldTemplate, placeholder } = await import('./field-template.js');
    const { serializeNamedPolicies, serializeServiceLimits } = await import('./ietf-fields.js');
    const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
    const n = fc.integer({ min: 0, max: 999_999_999 });
    fc.assert(
      fc.property(fc.array(fc.tuple(name, n, n, n), { minLength: 1, maxLength: 4 }), (items) => {
        const k = items.length;
        const limits = compileFieldTemplate(
          serializeServiceLimits(items.map(([nm], i) => ({ name: nm, remaining: placeholder(i), resetSeconds: placeholder(k + i) }))),
          2 * k,
        );
        const policies = compileFieldTemplate(serializeNamedPolicies(items.map(([nm], i) => ({ name: nm, quota: placeholder(i), windowSeconds: 60 }))), k);
        expect(limits?.([...items.map((x) => x[1]), ...items.map((x) => x[2])])).toBe(
          serializeServiceLimits(items.map(([nm, r, t]) => ({ name: nm, remaining: r, resetSeconds: t }))),
        );
        expect(policies?.(items.map((x) => x[3]))).toBe(serializeNamedPolicies(items.map(([nm, , , q]) => ({ name: nm, quota: q, windowSeconds: 60 }))));
      }),
      { numRuns: 200 },
    );
  });
});
