import { describe, expect, test } from 'vitest';
import type { RecordedAttempt } from './attempt.js';
import { analyseRetries } from './retry-chains.js';
import { retryRulesFor } from './retry-rules.js';

// Synthetic logs pin the grouping rule of docs/client-testing.md ("How attempts are grouped") case by case.

let seq = 0;
function attempt(atMs: number, status: number, extra: Partial<RecordedAttempt> = {}): RecordedAttempt {
  seq += 1;
  return { seq, atMs, respondedAtMs: atMs, method: 'GET', url: `https://x.test${extra.path ?? '/v1/x'}`, path: '/v1/x', headers: {}, status, ...extra };
}
const log = (...attempts: RecordedAttempt[]) => {
  seq = 0;
  return attempts;
};
const shape = (attempts: RecordedAttempt[], rules = retryRulesFor('authmatech')) => analyseRetries(attempts, rules).chains.map((c) => c.map((a) => a.seq));

describe('an attempt continues a chain', () => {
  test('after a retryable answer of the same request, in sequence', () => {
    seq = 0;
    expect(shape(log(attempt(0, 429), attempt(1000, 500), attempt(3000, 200), attempt(3000, 200)))).toEqual([[1, 2, 3], [4]]);
  });

  test('never across budgets, methods or paths (a page with another query is another request)', () => {
    seq = 0;
    const attempts = [
      attempt(0, 429),
      attempt(1000, 200, { key: 'client:b' }),
      attempt(1000, 200, { method: 'HEAD' }),
      attempt(1000, 200, { path: '/v1/x?offset=25' }),
    ];
    expect(shape(attempts)).toEqual([[1], [2], [3], [4]]);
  });

  test('a write continues with the same body under a new key, or the same key with a new body, but not both changed', () => {
    seq = 0;
    const post = (atMs: number, status: number, key: string, body: string) => attempt(atMs, status, { method: 'POST', idempotencyKey: key, bodySha256: body });
    const attempts = [post(0, 429, 'k1', 'b1'), post(1000, 429, 'k2', 'b1'), post(3000, 429, 'k2', 'b2'), post(7000, 201, 'k3', 'b3')];
    expect(shape(attempts, retryRulesFor('reconlayer'))).toEqual([[1, 2, 3], [4]]);
  });

  test('exempt paths spend no budget and are left out', () => {
    seq = 0;
    expect(shape(log(attempt(0, 429), attempt(10, 200, { scope: 'exempt' }), attempt(1000, 200)))).toEqual([[1, 3]]);
  });
});

describe('parallel is not sequential', () => {
  const parallel = (n: number, status: (i: number) => number) =>
    Array.from({ length: n }, (_, i) => attempt(0, status(i), { sentOrder: i + 1, answeredOrder: n + i + 1 }));

  test('with causal order, identical requests in flight together are separate chains, and each retry continues one', () => {
    seq = 0;
    const wave = parallel(4, (i) => (i < 2 ? 200 : 429));
    const retries = [attempt(1000, 200, { sentOrder: 9, answeredOrder: 10 }), attempt(1000, 200, { sentOrder: 11, answeredOrder: 12 })];
    expect(shape([...wave, ...retries])).toEqual([[1], [2], [3, 5], [4, 6]]);
  });

  test('without causal order, a request in the millisecond of a retryable answer of the same request reads as its retry', () => {
    seq = 0;
    expect(shape(log(attempt(0, 429), attempt(0, 429), attempt(1000, 200)))).toEqual([[1, 2, 3]]);
  });

  test('distinct requests fanned out together stay apart with or without causal order', () => {
    seq = 0;
    const fan = [0, 25, 50].map((offset) => attempt(0, offset === 50 ? 429 : 200, { path: `/v1/x?offset=${offset}` }));
    expect(shape(fan)).toEqual([[1], [2], [3]]);
  });
});

describe('a new call is not a retry', () => {
  test('after the client gave up at the cap, a call that does not fit the schedule starts a new chain', () => {
    const capped = (next: number) => {
      seq = 0;
      return [...[0, 1000, 3000, 7000, 15_000].map((atMs) => attempt(atMs, 429)), attempt(next, 200)];
    };
    expect(shape(capped(75_000))).toEqual([[1, 2, 3, 4, 5], [6]]);
    // On the schedule (16 s after the fifth), the same request is a sixth try: over the cap.
    expect(shape(capped(31_000))).toEqual([[1, 2, 3, 4, 5, 6]]);
  });

  test('below the cap, a repeat later than newCallFactor × the allowed wait is a new call, noted for the report', () => {
    seq = 0;
    const attempts = [attempt(0, 429), attempt(1000, 429), attempt(3000, 429), attempt(63_000, 200)];
    const grouping = analyseRetries(attempts, retryRulesFor('authmatech'));
    expect(grouping.chains.map((c) => c.map((a) => a.seq))).toEqual([[1, 2, 3], [4]]);
    expect(grouping.lateRepeats.get(attempts[2] as RecordedAttempt)?.seq).toBe(4);
  });
});

describe('repeats of answers that will not change', () => {
  test('the identical request soon after a 400 is a repeat; with new credentials, or much later, it is not', () => {
    seq = 0;
    const attempts = [
      attempt(0, 400, { headers: { authorization: 'a' } }),
      attempt(1000, 401, { headers: { authorization: 'a' } }),
      attempt(2000, 200, { headers: { authorization: 'b' } }),
      attempt(60_000, 404, { headers: { authorization: 'b' } }),
      attempt(120_000, 404, { headers: { authorization: 'b' } }),
    ];
    const { repeats } = analyseRetries(attempts, retryRulesFor('authmatech'));
    expect(repeats.map(({ previous, repeat }) => [previous.seq, repeat.seq])).toEqual([[1, 2]]);
  });
});
