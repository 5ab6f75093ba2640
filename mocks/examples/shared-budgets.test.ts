// Two mock replicas on one Redis share one budget, as a staging cluster or a load test of a client fleet
// needs: 30 requests at once, spread over both, against a limit of 10 give exactly 10 successes, and the
// virtual clock moved through one replica refills the budget on both. Run it with a Redis of your own:
//   redis-server --port 6379 --save '' &
//   REDIS_URL=redis://127.0.0.1:6379 npx vitest run shared-budgets.test.ts
import { type MockServer, startMockServer } from 'ratelimit-contract/mock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const REDIS_URL = process.env.REDIS_URL;
const ACME = { authorization: 'Bearer rl_test_acme_primary' };

describe.skipIf(!REDIS_URL)('two replicas, one budget', () => {
  let replicas: MockServer[] = [];
  beforeAll(async () => {
    // The same store URL and prefix: one budget, one clock, one set of idempotency records.
    const options = { profile: 'reconlayer' as const, limit: 10, env: {}, store: REDIS_URL, storePrefix: `example-${process.pid}:` };
    replicas = await Promise.all([startMockServer(options), startMockServer(options)]);
  });
  afterAll(() => Promise.all(replicas.map((mock) => mock.close())));

  test('30 requests at once over both replicas: exactly 10 succeed; a window later, 10 again', async () => {
    const burst = () =>
      Promise.all(Array.from({ length: 30 }, (_, i) => fetch(`${replicas[i % 2]?.url}/v1/payment-intents`, { headers: ACME }).then((r) => r.status)));
    await replicas[0]?.clock.freeze();
    expect((await burst()).filter((status) => status === 200)).toHaveLength(10);
    // Moving the clock on one replica moves it on both: the clock lives in Redis.
    await replicas[1]?.clock.advance(60_000);
    expect((await burst()).filter((status) => status === 200)).toHaveLength(10);
    await replicas[0]?.clock.resume();
  });
});
