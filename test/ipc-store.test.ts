import { expect, it } from 'vitest';
import type { BudgetEntry } from '../src/core/budget-store.js';
import { createIpcHost } from '../src/store/ipc-host.js';
import { createIpcStore } from '../src/store/ipc-store.js';
import { channelTo } from './support/ipc-pair.js';

// The workers of `mock --workers` share the primary's budgets, clock and idempotency records over IPC (the
// store contract runs the IPC store's budgets: budget-store-contract.test.ts). Here: its clock, its records,
// and that the calls of one event-loop turn travel in one message.

const one = (key: string): BudgetEntry[] => [{ key, rule: { algorithm: 'fixed-window', limit: 2, windowMs: 60_000 }, cost: 1 }];

it('keeps one clock for every worker: a move on one is the time of all, and each answer carries it', async () => {
  let realMs = 1_000_000;
  const host = createIpcHost({ realClock: () => realMs });
  const a = createIpcStore(channelTo(host));
  const b = createIpcStore(channelTo(host));
  await a.clock?.freeze();
  await b.consume(one('org:acme'), 0);
  await b.consume(one('org:acme'), 0);
  expect((await a.consume(one('org:acme'), 0))[0]?.allowed).toBe(false);
  realMs += 3_600_000;
  // Frozen: real time passing moves nothing; the caller's nowMs is not the time either.
  expect((await a.consume(one('org:acme'), Date.now() + 3_600_000))[0]?.allowed).toBe(false);
  await b.clock?.advance(60_000);
  expect(a.clock?.frozen).toBe(true);
  expect((await a.consume(one('org:acme'), 0))[0]).toMatchObject({ allowed: true, remaining: 1, resetMs: 60_000 });
  expect(a.clock?.now()).toBe(b.clock?.now());
  await a.clock?.resume();
  await b.clock?.sync();
  expect(b.clock?.frozen).toBe(false);
  await Promise.all([a.close(), b.close(), host.close()]);
});

it('shares idempotency records and resets between workers', async () => {
  const host = createIpcHost();
  const a = createIpcStore(channelTo(host));
  const b = createIpcStore(channelTo(host));
  expect(await a.records.putIfAbsent('org:acme', 'k-1', 'first')).toBeUndefined();
  expect(await b.records.putIfAbsent('org:acme', 'k-1', 'second')).toBe('first');
  await a.consume(one('org:acme'), 0);
  expect(await b.keys(10)).toEqual(['org:acme']);
  await b.resetAll();
  await b.records.clear();
  expect(await a.keys(10)).toEqual([]);
  expect(await a.records.putIfAbsent('org:acme', 'k-1', 'third')).toBeUndefined();
  await Promise.all([a.close(), b.close(), host.close()]);
});

it('sends the calls of one event-loop turn in one message, and fails the calls of a closed store', async () => {
  const host = createIpcHost();
  const store = createIpcStore(channelTo(host));
  const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => store.consume(one(`org:${i}`), 0)));
  expect(answers.every((d) => d[0]?.allowed)).toBe(true);
  expect(store.sent).toEqual({ messages: 1, calls: 50 });
  const pending = store.consume(one('org:late'), 0);
  await store.close();
  await expect(pending).rejects.toThrow('the store is closed');
  await host.close();
});
