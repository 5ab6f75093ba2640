import { describe, expect, it } from 'vitest';
import { ALGORITHMS } from './algorithms/index.js';
import type { Decision, LimitRule } from './decision.js';

const rule: LimitRule = { limit: 3, windowMs: 60_000 };

function run(name: keyof typeof ALGORITHMS, times: number[]): Decision[] {
  let state: unknown;
  return times.map((t) => {
    const step = ALGORITHMS[name].consume(state, rule, t);
    state = step.state ?? state; // a rejection changes nothing
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

// Hardening, round two (issue 10, item 9): the sliding window is O(1) amortised per request. Counted, not
// timed: every property read of the state (the log's entries included) goes through a counting proxy.
// The previous log was copied whole on each accepted request: 2,000 requests read ~2 million entries.
describe('sliding-window cost', () => {
  function counting<T extends object>(target: T, counter: { reads: number }, proxies: WeakMap<object, object>): T {
    const proxy = new Proxy(target, {
      get(t, key, receiver) {
        counter.reads += 1;
        const value = Reflect.get(t, key, receiver);
        return value !== null && typeof value === 'object' ? counting(value as object, counter, proxies) : value;
      },
    });
    proxies.set(proxy, target);
    return proxy;
  }

  it('reads a bounded number of state entries per request, however long the log', () => {
    const big: LimitRule = { limit: 2_000, windowMs: 60_000 };
    const counter = { reads: 0 };
    const proxies = new WeakMap<object, object>();
    let state: unknown;
    for (let i = 0; i < 2_000; i += 1) {
      const step = ALGORITHMS['sliding-window'].consume(state === undefined ? undefined : counting(state as object, counter, proxies), big, i);
      expect(step.decision.allowed).toBe(true);
      state = proxies.get(step.state as object) ?? step.state;
    }
    expect(counter.reads / 2_000).toBeLessThan(40);
  });

  it('stays exact: matches a plain log of accepted times on random traffic', () => {
    const small: LimitRule = { limit: 5, windowMs: 1_000 };
    let state: unknown;
    const log: number[] = [];
    let now = 0;
    for (let i = 0; i < 5_000; i += 1) {
      now += (i * 7919) % 400;
      const live = log.filter((t) => t > now - small.windowMs);
      const allowed = live.length < small.limit;
      if (allowed) log.push(now);
      const step = ALGORITHMS['sliding-window'].consume(state, small, now);
      state = step.state ?? state; // a rejection changes nothing
      expect(step.decision.allowed).toBe(allowed);
      expect(step.decision.remaining).toBe(Math.max(0, small.limit - (allowed ? live.length + 1 : live.length)));
      const oldest = (allowed ? [...live, now] : live)[0];
      expect(step.decision.resetMs).toBe(oldest === undefined ? 0 : oldest + small.windowMs - now);
    }
  });
});
