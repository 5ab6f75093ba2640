import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createControllableClock } from '../core/clock.js';
import { createIdempotencyStore } from './idempotency.js';
import { textResponse } from './prepared-responses.js';

// Round two (issue 10): the store kept the first 10,000 keys of all owners with no expiry, so another
// organization's flood evicted yours and your retry created a duplicate. Now: 1,000 keys per owner (its own
// flood evicts its own oldest), 10,000 in all (past that, the oldest key of the owner holding the most),
// and keys expire after 24 h on the engine's clock, as Stripe keeps them.
const DAY_MS = 24 * 60 * 60 * 1000;
const body = (text: string) => new TextEncoder().encode(text);
const created = (id: number) => textResponse(201, JSON.stringify({ id }), 'application/json');

function storeAt(startMs = 1_700_000_000_000) {
  const clock = createControllableClock({ now: () => startMs });
  clock.freeze();
  return { clock, store: createIdempotencyStore({ clock }) };
}

describe('idempotency keys: another owner cannot evict yours', () => {
  it("another organization's flood of 10,000 keys does not evict yours; your retry replays", () => {
    // The store as the engine built it before (no options): the flood then evicted acme's key.
    const store = createIdempotencyStore();
    store.remember('organization:org_acme', 'order-1', body('{"amount":1}'), created(1));
    for (let i = 0; i < 10_000; i += 1) store.remember('organization:org_globex', `flood-${i}`, body('{}'), created(i + 2));
    // Before: 'new' (evicted by the flood), so the retry created a second payment.
    expect(store.check('organization:org_acme', 'order-1', body('{"amount":1}'))).toEqual({ kind: 'replay', response: created(1) });
    expect(store.size).toBeLessThanOrEqual(10_000);
  });

  it('an owner holds at most 1,000 keys: past that its own oldest is forgotten', () => {
    const { store } = storeAt();
    for (let i = 0; i <= 1_000; i += 1) store.remember('ip:10.0.0.1', `k-${i}`, body('{}'), created(i));
    expect(store.check('ip:10.0.0.1', 'k-0', body('{}'))).toEqual({ kind: 'new' });
    expect(store.check('ip:10.0.0.1', 'k-1', body('{}')).kind).toBe('replay');
    expect(store.check('ip:10.0.0.1', 'k-1000', body('{}')).kind).toBe('replay');
    expect(store.size).toBe(1_000);
  });

  it('at the 10,000-key cap, eleven owners at their quota evict from the largest, never from a smaller owner', () => {
    const { store } = storeAt();
    store.remember('organization:org_acme', 'order-1', body('{}'), created(0));
    for (let owner = 0; owner < 11; owner += 1) {
      for (let i = 0; i < 1_000; i += 1) store.remember(`organization:flood-${owner}`, `k-${i}`, body('{}'), created(i));
    }
    expect(store.size).toBe(10_000);
    expect(store.check('organization:org_acme', 'order-1', body('{}')).kind).toBe('replay');
  });
});

describe('idempotency keys expire after 24 h on the engine clock', () => {
  it('replayed until 24 h have passed, then forgotten: the same key with another body is new, not a mismatch', () => {
    const { clock, store } = storeAt();
    store.remember('organization:org_acme', 'order-1', body('{"amount":1}'), created(1));
    clock.advance(DAY_MS - 1);
    expect(store.check('organization:org_acme', 'order-1', body('{"amount":2}'))).toEqual({ kind: 'mismatch' });
    expect(store.check('organization:org_acme', 'order-1', body('{"amount":1}')).kind).toBe('replay');
    clock.advance(1);
    // Before: a mismatch for ever (no expiry).
    expect(store.check('organization:org_acme', 'order-1', body('{"amount":2}'))).toEqual({ kind: 'new' });
    expect(store.size).toBe(0);
  });

  it('expired keys are swept as new ones arrive, so a day-old flood holds no memory', () => {
    const { clock, store } = storeAt();
    for (let owner = 0; owner < 10; owner += 1) {
      for (let i = 0; i < 1_000; i += 1) store.remember(`ip:10.0.0.${owner}`, `k-${i}`, body('{}'), created(i));
    }
    expect(store.size).toBe(10_000);
    clock.advance(DAY_MS);
    store.remember('organization:org_acme', 'order-1', body('{}'), created(1));
    expect(store.size).toBe(1);
  });
});

describe('idempotency store: a model check', () => {
  it('agrees with a plain model (per-owner quota, total cap from the largest owner, expiry) operation for operation', () => {
    const QUOTA = 3;
    const CAP = 7;
    const TTL = 1_000;
    const op = fc.oneof(
      fc.record({ kind: fc.constant('remember' as const), owner: fc.nat(4), key: fc.nat(5), body: fc.nat(1) }),
      fc.record({ kind: fc.constant('check' as const), owner: fc.nat(4), key: fc.nat(5), body: fc.nat(1) }),
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 200 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 200, size: 'max' }), (ops) => {
        const clock = createControllableClock({ now: () => 0 });
        clock.freeze();
        const store = createIdempotencyStore({ clock, maxKeysPerOwner: QUOTA, maxKeys: CAP, ttlMs: TTL });
        // The model: entries in insertion order; each owner's keys in insertion order.
        let model: Array<{ owner: number; key: number; body: number; at: number; seq: number }> = [];
        let seq = 0;
        const live = () => {
          model = model.filter((e) => clock.now() - e.at < TTL);
        };
        for (const o of ops) {
          if (o.kind === 'advance') {
            clock.advance(o.ms);
            continue;
          }
          const owner = `o${o.owner}`;
          const key = `k${o.key}`;
          if (o.kind === 'check') {
            live();
            const found = model.find((e) => e.owner === o.owner && e.key === o.key);
            const verdict = store.check(owner, key, body(String(o.body)));
            const expected = found === undefined ? 'new' : found.body === o.body ? 'replay' : 'mismatch';
            if (verdict.kind !== expected) return false;
            if (verdict.kind === 'replay' && verdict.response.body !== JSON.stringify({ id: found?.seq })) return false;
            continue;
          }
          live();
          model = model.filter((e) => !(e.owner === o.owner && e.key === o.key));
          const own = model.filter((e) => e.owner === o.owner);
          if (own.length >= QUOTA) model.splice(model.indexOf(own[0] as (typeof model)[number]), 1);
          let candidates: typeof model = [];
          if (model.length >= CAP) {
            const counts = new Map<number, number>();
            for (const e of model) counts.set(e.owner, (counts.get(e.owner) ?? 0) + 1);
            const most = Math.max(...counts.values());
            // The oldest key of each owner holding the most: the store must forget exactly one of them.
            candidates = [...counts].filter(([, n]) => n === most).map(([owner]) => model.find((e) => e.owner === owner) as (typeof model)[number]);
          }
          store.remember(owner, key, body(String(o.body)), created(++seq));
          if (candidates.length > 0) {
            const evicted = candidates.filter((e) => store.check(`o${e.owner}`, `k${e.key}`, body(String(e.body))).kind === 'new');
            if (evicted.length !== 1) return false;
            model.splice(model.indexOf(evicted[0] as (typeof model)[number]), 1);
          }
          model.push({ owner: o.owner, key: o.key, body: o.body, at: clock.now(), seq });
          if (store.size !== model.length) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
