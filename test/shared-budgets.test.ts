import { Agent, request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type MockProcess, startMockProcess } from './support/mock-process.js';
import { describeWithRedis, type RedisServer, startRedis } from './support/redis-server.js';

// Issue 12's bar: several mock processes (and the workers of `--workers`) share one budget, exactly, under
// concurrency and across a window boundary. 2,000 requests at once, spread round-robin over the processes,
// against ReconLayer's per-organization limit set to 300: exactly 300 succeed. The clock is the shared
// virtual clock: frozen through one replica, advanced a window through another.

const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const KEY = encodeURIComponent('organization:org_acme');
const LIMIT = 300;

interface Answer {
  status: number;
  remaining: string | undefined;
}

/** One agent per process, keep-alive, so 2,000 requests at once do not need 2,000 sockets. */
function sender(urls: string[]) {
  const agents = urls.map(() => new Agent({ keepAlive: true, maxSockets: 64 }));
  let next = 0;
  /** One request to process `at` (next in turn by default); a control call goes on a connection of its own, ahead of any queue. */
  const send = (method: string, path: string, at = next++ % urls.length, body?: string): Promise<Answer & { json: unknown }> =>
    new Promise((resolve, reject) => {
      const url = new URL(urls[at] as string);
      const headers = body === undefined ? ACME : { ...ACME, 'content-type': 'application/json' };
      const agent = path.startsWith('/__ratelimit') ? false : agents[at];
      const req = request({ host: url.hostname, port: url.port, method, path, headers, agent }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk;
        });
        res.on('end', () => {
          const remaining = res.headers['x-ratelimit-remaining'];
          resolve({ status: res.statusCode ?? 0, remaining: typeof remaining === 'string' ? remaining : undefined, json: text ? JSON.parse(text) : undefined });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    send,
    /** `count` limited GETs at once, spread round-robin; `midway` runs once `after` of them have answered. */
    async burst(count: number, midway?: { after: number; run: () => Promise<unknown> }) {
      let answered = 0;
      let during: Promise<unknown> | undefined;
      const answers = await Promise.all(
        Array.from({ length: count }, () =>
          send('GET', '/v1/payment-intents').then((a) => {
            answered += 1;
            if (midway && answered === midway.after) during = midway.run();
            return a;
          }),
        ),
      );
      await during;
      return answers;
    },
    close: () => {
      for (const agent of agents) agent.destroy();
    },
  };
}

const ok = (answers: Answer[]) => answers.filter((a) => a.status === 200);

/** The successes' x-ratelimit-remaining values, sorted: exactly once each of the budget they counted down. */
const countdown = (answers: Answer[]) =>
  ok(answers)
    .map((a) => Number(a.remaining))
    .sort((a, b) => a - b);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

const DEPLOYMENTS: Array<{ name: string; processes: number; args: string[]; redis: boolean }> = [
  { name: '3 mock processes on one Redis', processes: 3, args: [], redis: true },
  { name: '3 mock processes with --workers 2 each, on one Redis', processes: 3, args: ['--workers', '2'], redis: true },
  { name: 'one mock with --workers 2 and no Redis (budgets in the primary, over IPC)', processes: 1, args: ['--workers', '2'], redis: false },
];

describeWithRedis('shared budgets', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
  });

  for (const [index, deployment] of DEPLOYMENTS.entries()) {
    it(`${deployment.name}: 2,000 requests at once against a limit of 300 give exactly 300, again after a window boundary, and exactly across one`, async () => {
      const store = deployment.redis ? ['--store', redis.url, '--store-prefix', `shared${index}:`] : [];
      const mocks: MockProcess[] = await Promise.all(
        Array.from({ length: deployment.processes }, () => startMockProcess(['--limit', String(LIMIT), '--control', ...store, ...deployment.args])),
      );
      const client = sender(mocks.map((m) => m.url));
      const last = mocks.length - 1;
      try {
        // One replica freezes the shared clock: no real-time window ends during the test.
        expect((await client.send('POST', '/__ratelimit/clock', 0, '{"mode":"virtual"}')).json).toMatchObject({ mode: 'virtual' });

        const first = await client.burst(2_000);
        expect(ok(first)).toHaveLength(LIMIT);
        expect(first.filter((a) => a.status === 429)).toHaveLength(2_000 - LIMIT);
        expect(countdown(first)).toEqual(range(0, LIMIT));

        // Another replica moves the clock a window on: every replica's budget refills, once.
        await client.send('POST', '/__ratelimit/clock/advance', last, '{"by":"1m"}');
        const second = await client.burst(2_000);
        expect(ok(second)).toHaveLength(LIMIT);
        expect(countdown(second)).toEqual(range(0, LIMIT));

        // The boundary while 2,000 are in flight: the old window grants nothing more, the new one grants
        // exactly what its budget then says it spent, each unit once.
        const third = await client.burst(2_000, { after: 1_000, run: () => client.send('POST', '/__ratelimit/clock/advance', last, '{"by":"1m"}') });
        const budgets = await Promise.all(mocks.map((_, at) => client.send('GET', `/__ratelimit/budgets/${KEY}`, at)));
        const left = (budgets[0] as { json: { remaining: number } }).json.remaining;
        expect(ok(third).length + left).toBe(LIMIT);
        expect(countdown(third)).toEqual(range(left, LIMIT));
        // Every replica reads the same budget.
        expect(budgets.map((b) => (b.json as { remaining: number }).remaining)).toEqual(mocks.map(() => left));
        expect(mocks.every((m) => m.alive())).toBe(true);
      } finally {
        client.close();
        await Promise.all(mocks.map((m) => m.stop()));
      }
    }, 90_000);
  }

  it('the bug this prevents: 3 mock processes with budgets of their own grant 3 × the limit', async () => {
    const mocks = await Promise.all([0, 1, 2].map(() => startMockProcess(['--limit', String(LIMIT)])));
    const client = sender(mocks.map((m) => m.url));
    try {
      expect(ok(await client.burst(2_000))).toHaveLength(3 * LIMIT);
    } finally {
      client.close();
      await Promise.all(mocks.map((m) => m.stop()));
    }
  }, 60_000);

  it('an idempotent POST retried on another replica replays the first answer; a reset through one replica resets all', async () => {
    const mocks = await Promise.all([0, 1].map(() => startMockProcess(['--limit', '50', '--control', '--store', redis.url, '--store-prefix', 'replay:'])));
    const client = sender(mocks.map((m) => m.url));
    try {
      const post = (at: number, key: string, amount: number) =>
        new Promise<{ status: number; body: string; replayed: unknown }>((resolve, reject) => {
          const url = new URL((mocks[at] as MockProcess).url);
          const body = JSON.stringify({ amount, currency: 'usd' });
          const headers = { ...ACME, 'content-type': 'application/json', 'idempotency-key': key };
          const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/v1/payment-intents', headers }, (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => {
              text += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, replayed: res.headers['idempotent-replayed'] }));
          });
          req.on('error', reject);
          req.end(body);
        });
      const created = await post(0, 'order-7', 1000);
      const retried = await post(1, 'order-7', 1000);
      expect(created.status).toBe(201);
      expect(retried).toEqual({ status: 201, body: created.body, replayed: 'true' });
      expect((await post(1, 'order-7', 2000)).status).toBe(422);
      await client.send('DELETE', '/__ratelimit/budgets', 1);
      expect((await client.send('GET', `/__ratelimit/budgets/${KEY}`, 0)).json).toMatchObject({ remaining: 50 });
      expect((await client.send('GET', '/__ratelimit/budgets', 0)).json).toEqual({ budgets: [] });
      // The reset forgot the records too: the same key creates again.
      expect((await post(0, 'order-7', 2000)).status).toBe(201);
    } finally {
      client.close();
      await Promise.all(mocks.map((m) => m.stop()));
    }
  }, 60_000);
});
