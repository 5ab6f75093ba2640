import { describe, expect, it } from 'vitest';
import { ALGORITHMS } from './algorithms/index.js';
import type { Decision, LimitRule } from './decision.js';

const rule: LimitRule = { limit: 3, windowMs: 60_000 };

function run(name: keyof typeof ALGORITHMS, times: number[]): Decision[] {
  let state: unknown;
  return times.map((t) => {
    const step = ALGORITHMS[name].consume(state, rule, t);
    state = step.state;
    return step.decision;
  });
}

describe('fixed-window', () => {
  it('allows exactly the limit, then rejects request limit+1 with the time left', () => {
    const d = run('fixed-window', [0, 1_000, 2_000, 22_000]);
    expect(d.map((x) => x.allowed)).toEqual([true, true, true, false]);
    expect(d.map((x) => x.remaining)).toEqual([2, 1, 0, 0]);
    expect(d[3]?.resetMs).toBe(38_000);
    expect(d[3]?.retryAfterMs).toBe(38_000);
  });
  it('starts the window at the first request and resets exactly when it ends', () => {
    const d = run('fixed-window', [5_000, 5_001, 5_002, 64_999, 65_000]);
    expect(d.map((x) => x.allowed)).toEqual([true, true, true, false, true]);
    expect(d[4]?.remaining).toBe(2);
    expect(d[4]?.resetMs).toBe(60_000);
  });
  it('peek does not spend', () => {
    const first = ALGORITHMS['fixed-window'].consume(undefined, rule, 0);
    const peeked = ALGORITHMS['fixed-window'].peek(first.state, rule, 10);
    expect(peeked).toMatchObject({ allowed: true, remaining: 2 });
    expect(ALGORITHMS['fixed-window'].peek(undefined, rule, 0)).toMatchObject({ allowed: true, remaining: 3 });
  });
});

describe('sliding-window', () => {
  it('frees one slot when the oldest accepted request leaves the window', () => {
    const d = run('sliding-window', [0, 10_000, 20_000, 30_000, 60_000, 60_001]);
    expect(d.map((x) => x.allowed)).toEqual([true, true, true, false, true, false]);
    expect(d[3]?.retryAfterMs).toBe(30_000);
  });
});

describe('token-bucket', () => {
  it('bursts to the limit, then refills one token per windowMs/limit', () => {
    const d = run('token-bucket', [0, 0, 0, 0, 20_000, 20_000]);
    expect(d.map((x) => x.allowed)).toEqual([true, true, true, false, true, false]);
    expect(d[3]?.retryAfterMs).toBe(20_000);
  });
});
