import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../core/parse-policy.js';
import type { ApiDefinition } from './api-definition.js';
import { createEngine } from './create-engine.js';

// The engine's decision with several limits, on a definition built in memory (no spec, no Prism): the
// order limits are checked in, what a refused request spends under each stacking, and the wait it names.

function engineWith(policyRaw: Record<string, unknown>) {
  const definition: ApiDefinition = {
    title: 'test',
    source: 'test.yaml',
    profile: undefined,
    policy: parsePolicy(
      { key: { by: 'ip' }, rejection: { body: { error: '{name}' } }, headers: { style: 'draft-12', retryAfter: 'retry-after' }, ...policyRaw },
      'test.yaml',
    ),
    limitSource: 'the spec',
    operations: [
      {
        method: 'GET',
        path: '/x',
        headerParams: [],
        secured: false,
        responses: { '200': { status: 200, contentType: 'application/json', headers: {}, body: '{}' } },
      },
    ],
    credentials: undefined,
    catalogFrom: 'fixture',
  };
  const engine = createEngine(definition, { clock: { now: () => 1_000_000 } });
  engine.clock.freeze();
  const send = async () => {
    const reply = await engine.respond({ method: 'GET', url: '/x', headers: {}, clientAddress: '192.0.2.1', body: new Uint8Array() });
    const headers = Object.fromEntries(reply.headers.flatMap((v, i, all) => (i % 2 === 0 ? [[v, all[i + 1] as string]] : [])));
    return { status: reply.response.status, body: reply.response.body, ratelimit: headers.ratelimit, retryAfter: headers['retry-after'] };
  };
  return { engine, send };
}

const QUOTA_THEN_BURST = [
  { name: 'quota', limit: 10, window: '1 hour' },
  { name: 'burst', limit: 1, window: '1s' },
];

describe('several limits in the engine', () => {
  it('atomic (default): a request the burst refuses spends none of the quota', async () => {
    const { engine, send } = engineWith({ limits: QUOTA_THEN_BURST });
    await send();
    const refused = await send();
    expect([refused.status, refused.body, refused.ratelimit]).toEqual([429, '{"error":"burst"}', '"quota";r=9;t=3600, "burst";r=0;t=1']);
    await engine.close();
  });

  it('in-order: the quota, checked first, has spent when the burst refuses, as stacked middlewares do', async () => {
    const { engine, send } = engineWith({ limits: QUOTA_THEN_BURST, stacking: 'in-order' });
    await send();
    const refused = await send();
    expect([refused.status, refused.ratelimit]).toEqual([429, '"quota";r=8;t=3600, "burst";r=0;t=1']);
    await engine.close();
  });

  it('the first limit in order decides; with atomic stacking retry-after is the longest wait of those that refused, in-order the decider’s own', async () => {
    const limits = [
      { name: 'burst', limit: 1, window: '1s' },
      { name: 'quota', limit: 1, window: '1 hour' },
    ];
    const atomic = engineWith({ limits });
    await atomic.send();
    expect(await atomic.send()).toMatchObject({ status: 429, body: '{"error":"burst"}', retryAfter: '3600' });
    const inOrder = engineWith({ limits, stacking: 'in-order' });
    await inOrder.send();
    expect(await inOrder.send()).toMatchObject({ status: 429, body: '{"error":"burst"}', retryAfter: '1' });
    await Promise.all([atomic.engine.close(), inOrder.engine.close()]);
  });

  it('a limit of cost 0 is reported but never refuses', async () => {
    const { engine, send } = engineWith({ limits: [{ name: 'free', limit: 1, window: '1 minute', cost: 0 }] });
    const replies = [await send(), await send(), await send()];
    expect(replies.map((r) => [r.status, r.ratelimit])).toEqual([
      [200, '"free";r=1;t=60'],
      [200, '"free";r=1;t=60'],
      [200, '"free";r=1;t=60'],
    ]);
    await engine.close();
  });

  it('exhaust spends one named limit, or every root limit', async () => {
    const { engine, send } = engineWith({ limits: QUOTA_THEN_BURST });
    await engine.exhaust({}, '192.0.2.1', 'quota');
    expect((await send()).body).toBe('{"error":"quota"}');
    await expect(engine.exhaust({}, '192.0.2.1', 'nope')).rejects.toThrow(/has no limit of that name\. Its limits: quota, burst/);
    await engine.close();
  });
});
