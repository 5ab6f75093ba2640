import { describe, expect, it } from 'vitest';
import { RequestHistory } from './request-history.js';

describe('RequestHistory: bounded however many keys and requests', () => {
  it('keeps the latest requests overall and per key, for the most recently active keys only', () => {
    const history = new RequestHistory({ requests: 50, keys: 10, perKey: 5 });
    for (let i = 0; i < 10_000; i += 1) {
      const key = `ip:10.0.${Math.floor(i / 256) % 256}.${i % 256}`;
      history.add({
        seq: history.nextSeq(),
        atMs: i,
        method: 'GET',
        path: '/',
        key,
        scope: 'limited',
        outcome: 'accepted',
        status: 200,
        remaining: 1,
        scripted: undefined,
      });
    }
    for (let i = 0; i < 20; i += 1) {
      history.add({
        seq: history.nextSeq(),
        atMs: i,
        method: 'GET',
        path: '/',
        key: 'busy',
        scope: 'limited',
        outcome: 'rejected',
        status: 429,
        remaining: 0,
        scripted: undefined,
      });
    }
    const { requests, keys } = history.snapshot();
    expect(keys).toHaveLength(10);
    expect(keys[0]).toEqual({ key: 'busy', total: 20, accepted: 0, rejected: 20, exempt: 0 });
    expect(requests.length).toBeLessThanOrEqual(50 + 10 * 5);
    expect(requests.filter((r) => r.key === 'busy')).toHaveLength(20);
    expect(requests.at(-1)?.seq).toBe(10_020);
  });
});
