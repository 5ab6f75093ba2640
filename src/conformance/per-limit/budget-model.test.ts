import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALGORITHMS } from '../../core/algorithms/index.js';
import type { Decision } from '../../core/decision.js';
import type { Algorithm } from '../../core/policy.js';
import { createMemoryStore } from '../../store/memory-store.js';
import { createBucketModel, fitOf, remainingRange } from './budget-model.js';
import { observe, outcomesOf, predict } from './request-prediction.js';

const at = (sentAtMs: number, receivedAtMs = sentAtMs) => ({ sentAtMs, receivedAtMs });

describe('a fixed window as the suite sees it', () => {
  const rule = { limit: 3, windowMs: 1_000, algorithm: 'fixed-window' as const };

  it('counts within the window that began with the first request, and starts over once it surely ended', () => {
    const model = createBucketModel(rule, 0);
    model.record(at(0, 10), 'spent', 1);
    model.record(at(20, 30), 'spent', 1);
    expect(model.spentAt(at(40, 50))).toEqual({ lo: 2, hi: 2 });
    expect(model.windowStart()).toEqual({ lo: 0, hi: 10 });
    // Between 1000 and 1010 the window may or may not have ended.
    expect(model.spentAt(at(1_005, 1_006))).toEqual({ lo: 0, hi: 2 });
    expect(model.spentAt(at(1_010, 1_020))).toEqual({ lo: 0, hi: 0 });
  });

  it('narrows on outcomes: a refused request did not fit, an allowed one did', () => {
    const model = createBucketModel(rule, 0);
    model.record(at(0, 10), 'spent', 1);
    model.record(at(20), 'maybe', 1);
    expect(model.spentAt(at(25))).toEqual({ lo: 1, hi: 2 });
    model.record(at(30), 'refused', 2);
    expect(model.spentAt(at(35))).toEqual({ lo: 2, hi: 2 });
    const other = createBucketModel(rule, 0);
    other.record(at(0, 10), 'spent', 1);
    other.record(at(20), 'maybe', 1);
    other.record(at(30), 'spent', 2);
    expect(other.spentAt(at(35))).toEqual({ lo: 3, hi: 3 });
  });

  it('a budget of unknown state may have spent anything, in a window of unknown start', () => {
    const model = createBucketModel(rule, 0, 0);
    expect(model.spentAt(at(5))).toEqual({ lo: 0, hi: 3 });
    expect(model.spentAt(at(1_000))).toEqual({ lo: 0, hi: 0 });
  });

  it('knows when a cost fits again', () => {
    const model = createBucketModel(rule, 15);
    for (const t of [0, 1, 2]) model.record(at(t, t + 5), 'spent', 1);
    expect(fitOf(model.spentAt(at(10)), rule.limit, 1)).toBe('fails');
    expect(model.roomAt(1, 10)).toBe(7 + 1_000 + 15 - 2);
    expect(model.roomAt(4, 10)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('a token bucket and a sliding window as the suite sees them', () => {
  it('a token bucket refills within the bounds of the elapsed time', () => {
    const model = createBucketModel({ limit: 10, windowMs: 1_000, algorithm: 'token-bucket' }, 0);
    model.record(at(0, 0), 'spent', 10);
    // 150 to 250 ms later: 1.5 to 2.5 tokens back, so 1 or 2 whole tokens.
    const spent = model.spentAt(at(150, 250));
    expect(spent.lo).toBeCloseTo(7.5);
    expect(spent.hi).toBeCloseTo(8.5);
    expect(remainingRange({ limit: 10, windowMs: 1_000, algorithm: 'token-bucket' }, spent)).toEqual({ lo: 1, hi: 2 });
  });

  it('a sliding window frees each unit one window after it was spent', () => {
    const model = createBucketModel({ limit: 2, windowMs: 1_000, algorithm: 'sliding-window' }, 0);
    model.record(at(0, 10), 'spent', 1);
    model.record(at(500, 510), 'spent', 1);
    expect(model.spentAt(at(600))).toEqual({ lo: 2, hi: 2 });
    expect(model.spentAt(at(1_005))).toEqual({ lo: 1, hi: 2 });
    expect(model.spentAt(at(1_020))).toEqual({ lo: 1, hi: 1 });
    expect(model.roomAt(1, 600)).toBe(1_010);
  });
});

// The model must never rule out what a correct server answers: the engine's own algorithms, acting at any
// moment between a request's send and its answer, always fall within the model's range, and a request the
// model says surely fits (or surely not) is allowed (or refused).
describe('against the engine algorithms, with any latency', () => {
  const algorithms: Algorithm[] = ['fixed-window', 'sliding-window', 'token-bucket'];
  const request = fc.record({
    gapMs: fc.integer({ min: 0, max: 600 }),
    latencyMs: fc.integer({ min: 0, max: 80 }),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    cost: fc.integer({ min: 0, max: 3 }),
  });
  it.for(algorithms)('%s', (algorithm) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 200, max: 2_000 }),
        fc.array(request, { minLength: 1, maxLength: 40 }),
        (limit, windowMs, requests) => {
          const rule = { limit, windowMs, algorithm };
          const model = createBucketModel(rule, 0);
          const step = ALGORITHMS[algorithm];
          let state: unknown;
          let now = 0;
          for (const r of requests) {
            now += r.gapMs;
            const span = at(now, now + r.latencyMs);
            const serverMs = span.sentAtMs + r.at * r.latencyMs;
            const before = model.spentAt(span);
            const { state: next, decision } = step.consume(state, rule, serverMs, r.cost);
            if (next !== undefined) state = next;
            const budgets = [{ spent: before, limit, cost: r.cost, status: 429 }];
            const prediction = predict(budgets);
            if (prediction.kind === 'allowed') expect(decision.allowed).toBe(true);
            if (prediction.kind === 'refused') expect(decision.allowed).toBe(false);
            const observed = observe(prediction, budgets, decision.allowed ? 200 : 429);
            const outcome = outcomesOf(observed, 1, 'atomic')[0];
            if (outcome) model.record(span, outcome, r.cost);
            const range = remainingRange(rule, model.spentAt(span));
            expect(decision.remaining).toBeGreaterThanOrEqual(range.lo);
            expect(decision.remaining).toBeLessThanOrEqual(range.hi);
            now = span.receivedAtMs;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

// Two limits on one request, stacked either way, against the engine's memory store: the prediction never
// contradicts what it decides, and every limit's remaining stays within its range.
describe('two limits against the engine store, with any latency', () => {
  const limitRule = fc.record({
    limit: fc.integer({ min: 1, max: 6 }),
    windowMs: fc.integer({ min: 200, max: 2_000 }),
    algorithm: fc.constantFrom<Algorithm>('fixed-window', 'sliding-window', 'token-bucket'),
  });
  const request = fc.record({
    gapMs: fc.integer({ min: 0, max: 500 }),
    latencyMs: fc.integer({ min: 0, max: 60 }),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    costs: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
  });
  it.for(['atomic', 'in-order'] as const)('%s', (stacking) => {
    fc.assert(
      fc.property(fc.tuple(limitRule, limitRule), fc.array(request, { minLength: 1, maxLength: 30 }), (rules, requests) => {
        const store = createMemoryStore();
        const models = rules.map((rule) => createBucketModel(rule, 0));
        let now = 0;
        for (const r of requests) {
          now += r.gapMs;
          const span = at(now, now + r.latencyMs);
          const budgets = rules.map((rule, i) => ({
            spent: (models[i] as ReturnType<typeof createBucketModel>).spentAt(span),
            limit: rule.limit,
            cost: r.costs[i] as number,
            status: 429 + i,
          }));
          const decisions = store.consume(
            rules.map((rule, i) => ({ key: `k${i}`, rule, cost: r.costs[i] as number })),
            span.sentAtMs + r.at * r.latencyMs,
            stacking,
          ) as Decision[];
          const refusedBy = decisions.findIndex((d) => !d.allowed);
          const prediction = predict(budgets);
          if (prediction.kind === 'allowed') expect(refusedBy).toBe(-1);
          if (prediction.kind === 'refused') expect(refusedBy).toBe(prediction.by);
          const observed = observe(prediction, budgets, refusedBy === -1 ? 200 : 429 + refusedBy);
          outcomesOf(observed, 2, stacking).forEach((outcome, i) => {
            if (outcome) models[i]?.record(span, outcome, r.costs[i] as number);
          });
          for (const [i, d] of decisions.entries()) {
            const range = remainingRange(rules[i] as (typeof rules)[number], (models[i] as ReturnType<typeof createBucketModel>).spentAt(span));
            expect(d.remaining).toBeGreaterThanOrEqual(range.lo);
            expect(d.remaining).toBeLessThanOrEqual(range.hi);
          }
          now = span.receivedAtMs;
        }
        void store.close();
      }),
      { numRuns: 300 },
    );
  });
});
