import { Agent, request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ profile: 'reconlayer', env: {} });
});
afterAll(() => mock.close());

function get(agent: Agent): Promise<number> {
  const url = new URL(mock.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: '/v1/payment-intents', agent, headers: { authorization: 'Bearer rl_test_acme_primary' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

it('2,000 concurrent requests against a limit of 300 give exactly 300 successes', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 200 });
  const statuses = await Promise.all(Array.from({ length: 2000 }, () => get(agent)));
  agent.destroy();
  expect(statuses.filter((s) => s === 200)).toHaveLength(300);
  expect(statuses.filter((s) => s === 429)).toHaveLength(1700);
});
