import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../core/parse-policy.js';
import { singleLimitView } from '../core/single-limit-view.js';
import type { Exchange } from './conformance-check.js';
import { createExchangeRecorder, RECORDED_HEAD, RECORDED_TAIL } from './exchange-log.js';

// A log keeps the first and last requests of a check (or shared scenario) with a count of the rest, shows
// the scenarios a check read, and reads each response through the policy's own header names. (Which log a
// request lands in is the check context's business: check-context-recording.test.ts.)

const policy = singleLimitView(
  parsePolicy(
    {
      limit: 5,
      window: '2s',
      key: { by: 'ip' },
      scope: { include: ['/**'], exempt: [] },
      // Header names that are not x-ratelimit-*: nothing may assume those.
      headers: { limit: 'ratelimit-limit', remaining: 'ratelimit-remaining', reset: 'ratelimit-reset', retryAfter: 'retry-after' },
      rejection: { status: 429, contentType: 'application/json', body: { error: 'slow down' } },
    },
    'test.yaml',
  ),
);

const exchange = (n: number, headers: Record<string, string> = {}, status = 200): Exchange => ({
  request: { method: 'GET', path: `/r/${n}`, headers: { authorization: 'Bearer t' } },
  response: { status, headers, text: '' },
  sentAtMs: 1000 + n,
  receivedAtMs: 1001 + n,
  caller: 'org_a',
  step: `request ${n}`,
});

describe('createExchangeRecorder', () => {
  it('reads remaining, reset and retry-after through the policy names, times from the origin', () => {
    const recorder = createExchangeRecorder(policy, 1000);
    const log = recorder.createLog();
    recorder.add(
      log,
      exchange(7, { 'ratelimit-limit': '5', 'ratelimit-remaining': '0', 'ratelimit-reset': '2', 'retry-after': '2', 'x-ratelimit-remaining': '99' }, 429),
    );
    const [record] = recorder.snapshot(log).items;
    expect(record).toMatchObject({ sentAtMs: 7, receivedAtMs: 8, status: 429, rejected: true, remaining: 0, resetSeconds: 2, retryAfterSeconds: 2 });
    expect(record?.rateLimitHeaders).toEqual({ 'ratelimit-limit': '5', 'ratelimit-remaining': '0', 'ratelimit-reset': '2', 'retry-after': '2' });
  });

  it('keeps the first and last requests of a long run, and counts the ones left out where they were', () => {
    const recorder = createExchangeRecorder(policy, 1000);
    const log = recorder.createLog();
    const sent = RECORDED_HEAD + RECORDED_TAIL + 37;
    for (let n = 1; n <= sent; n += 1) recorder.add(log, exchange(n, { 'ratelimit-remaining': String(Math.max(0, 5 - n)) }));
    const { items, total } = recorder.snapshot(log);
    expect(total).toBe(sent);
    expect(items).toHaveLength(RECORDED_HEAD + RECORDED_TAIL);
    expect(items.map((i) => i.path).slice(RECORDED_HEAD - 1, RECORDED_HEAD + 1)).toEqual([`/r/${RECORDED_HEAD}`, `/r/${RECORDED_HEAD + 38}`]);
    expect(items[RECORDED_HEAD]?.omittedBefore).toBe(37);
    expect(items.at(-1)?.path).toBe(`/r/${sent}`);
    expect(items.filter((i) => i.omittedBefore !== undefined)).toHaveLength(1);
  });

  it('shows a shared scenario with every check that read it, in the order sent', () => {
    const recorder = createExchangeRecorder(policy, 1000);
    const scenario = recorder.createLog('primary-exhaustion');
    const first = recorder.createLog();
    const second = recorder.createLog();
    recorder.add(scenario, exchange(1));
    recorder.add(scenario, exchange(2));
    recorder.add(first, exchange(3));
    first.link(scenario);
    second.link(scenario);
    second.link(scenario);
    expect(recorder.snapshot(first).items.map((i) => [i.path, i.scenario])).toEqual([
      ['/r/1', 'primary-exhaustion'],
      ['/r/2', 'primary-exhaustion'],
      ['/r/3', undefined],
    ]);
    expect(recorder.snapshot(second)).toMatchObject({ total: 2, items: [{ path: '/r/1' }, { path: '/r/2' }] });
  });

  it('bounds a check with several long scenarios to the same total, the cut counted once', () => {
    const recorder = createExchangeRecorder(policy, 1000);
    const check = recorder.createLog();
    for (const name of ['a', 'b']) {
      const log = recorder.createLog(name);
      for (let n = 1; n <= 60; n += 1) recorder.add(log, exchange(name === 'a' ? n : 100 + n));
      check.link(log);
    }
    const { items, total } = recorder.snapshot(check);
    expect(total).toBe(120);
    expect(items).toHaveLength(RECORDED_HEAD + RECORDED_TAIL);
    expect(items.length + items.reduce((sum, i) => sum + (i.omittedBefore ?? 0), 0)).toBe(120);
  });
});
