import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../core/parse-policy.js';
import { singleLimitView } from '../core/single-limit-view.js';
import type { BudgetClock } from './budget-clock.js';
import { createCheckContext } from './check-context.js';
import type { ProbeRequest } from './conformance-check.js';
import { createExchangeRecorder } from './exchange-log.js';
import { createKeyPool } from './key-pool.js';
import type { ProbePlan } from './probe-plan.js';
import type { ResponseValidator } from './spec-response-validator.js';
import type { ConformanceTarget } from './targets/conformance-target.js';

// Each request lands in the log of the check whose work sent it; a shared scenario's requests land in the
// scenario's log, shown with every check that reads it, also when the scenario was started ahead and runs
// beside a check.

const policy = singleLimitView(
  parsePolicy(
    {
      limit: 5,
      window: '2s',
      key: { by: 'ip' },
      scope: { include: ['/**'], exempt: [] },
      headers: { remaining: 'ratelimit-remaining' },
      rejection: { status: 429, contentType: 'application/json', body: { error: 'slow down' } },
    },
    'test.yaml',
  ),
);

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

function setup() {
  const target: ConformanceTarget = {
    description: 'fake',
    loopback: false,
    send: async (request: ProbeRequest) => {
      await tick();
      return { status: 200, headers: { 'ratelimit-remaining': '4' }, text: request.path };
    },
    close: async () => undefined,
  };
  let now = 0;
  const clock: BudgetClock = { kind: 'virtual', now: () => now++, sleepUntil: async () => undefined, marginMs: 0, restore: async () => undefined };
  const pool = createKeyPool({ principals: [], addresses: [undefined], clock, windowMs: 2000 });
  const recorder = createExchangeRecorder(policy, 0);
  const ctx = createCheckContext({
    target,
    policy,
    plan: {} as ProbePlan,
    declared: {},
    spelling: 'options',
    clock,
    pool,
    validateResponse: (() => undefined) as unknown as ResponseValidator,
    recorder,
  });
  const get = (path: string) => ({ method: 'GET', path });
  return { ctx, recorder, caller: pool.defaultCaller, get };
}

describe('what a check context records', () => {
  it("puts a check's own requests in its log, and a scenario's in the scenario's, shown to every reader", async () => {
    const { ctx, recorder, caller, get } = setup();
    const firstLog = recorder.createLog();
    const first = ctx.recordingTo(firstLog);
    await first.send(get('/own-before'), caller);
    const scenario = async () => {
      await first.send(get('/s1'), caller);
      await tick();
      await first.sendBatch([{ outgoing: get('/s2'), caller, step: 'batch' }]);
      return 'spent';
    };
    expect(await first.shared('exhausted', scenario)).toBe('spent');
    await first.burst(get('/own-after'), caller, 2, (i) => `burst ${i}`);
    const secondLog = recorder.createLog();
    expect(await ctx.recordingTo(secondLog).shared('exhausted', scenario)).toBe('spent');
    const paths = (log: typeof firstLog) => recorder.snapshot(log).items.map((i) => `${i.path}${i.scenario ? ` (${i.scenario})` : ''}`);
    expect(paths(firstLog)).toEqual(['/own-before', '/s1 (exhausted)', '/s2 (exhausted)', '/own-after', '/own-after']);
    expect(paths(secondLog)).toEqual(['/s1 (exhausted)', '/s2 (exhausted)']);
  });

  it('keeps work started ahead apart from the check running beside it', async () => {
    const { ctx, recorder, caller, get } = setup();
    const ahead = ctx.recordingTo();
    const background = ahead.shared('background:late', async () => {
      for (const path of ['/bg1', '/bg2', '/bg3']) await ahead.send(get(path), caller);
    });
    const checkLog = recorder.createLog();
    const check = ctx.recordingTo(checkLog);
    await check.send(get('/own1'), caller);
    await check.send(get('/own2'), caller);
    await check.shared('background:late', async () => undefined);
    await background;
    const records = recorder.snapshot(checkLog).items;
    expect(records.filter((r) => r.scenario === undefined).map((r) => r.path)).toEqual(['/own1', '/own2']);
    expect(records.filter((r) => r.scenario === 'background:late').map((r) => r.path)).toEqual(['/bg1', '/bg2', '/bg3']);
  });
});
