import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis, type RedisServer, startRedis } from './support/redis-server.js';
import { runNode } from './support/run-cli.js';

// The README and docs/shared-budgets.md show mocks/examples/shared-budgets.test.ts verbatim, and the
// suite runs that file as a user would, with REDIS_URL pointing at a Redis of its own (in the main run
// the example skips itself: no REDIS_URL there).

const root = join(import.meta.dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const EXAMPLE = 'mocks/examples/shared-budgets.test.ts';

it('README and docs/shared-budgets.md show the example verbatim, and the commands', () => {
  const example = read(EXAMPLE);
  for (const doc of ['README.md', 'docs/shared-budgets.md']) {
    expect(read(doc), doc).toContain(`\`\`\`ts\n${example}\`\`\``);
    expect(read(doc), doc).toContain('npx ratelimit-contract mock --store redis://127.0.0.1:6379');
  }
  expect(read('README.md')).toMatch(/^## Shared budgets$/m);
});

describeWithRedis('the shared-budgets example', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
  });

  it('passes against a real Redis, run by vitest as a user runs it', async () => {
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    const result = await runNode([vitest, 'run', EXAMPLE, '--project', 'node'], {
      cwd: root,
      env: { ...process.env, REDIS_URL: redis.url, VITEST: undefined, VITEST_WORKER_ID: undefined, VITEST_POOL_ID: undefined },
      timeoutMs: 60_000,
    });
    expect(result.stdout + result.stderr).toMatch(/1 passed/);
    expect(result.code).toBe(0);
  }, 90_000);
});
