import type { RecordedAttempt } from '../client/attempt.js';
import type { RateLimitPolicy } from '../core/policy.js';
import { createAttemptLog } from './attempt-log.js';
import { attemptRecord } from './attempt-record.js';
import type { BaseUrl } from './base-url.js';
import type { Engine } from './create-engine.js';
import { watchForForgottenSettle } from './forgotten-settle.js';
import type { ScriptMatch } from './script-queue.js';
import type { ScriptStep } from './scripted-steps.js';
import { type FakeTimerControls, type SettleOptions, settleWithFakeTimers } from './settle-with-fake-timers.js';

/** A profile's budget behaviour in process (behind nock or MSW), with scripts and an attempt log. */
export interface RateLimitedApi {
  readonly baseUrl: string;
  readonly policy: RateLimitPolicy;
  /** Every request so far, in arrival order, with `Date.now()` times (virtual under fake timers). */
  readonly attempts: readonly RecordedAttempt[];
  /** Queues scripted answers for matching requests; once used up, the profile answers again. */
  script(match: ScriptMatch, steps: readonly ScriptStep[]): RateLimitedApi;
  /**
   * Spends the whole budget of the key these headers resolve to (default: the fallback IP): of every root
   * limit, or of the limit named (`exhaust(headers, 'burst')`, also a limit of one operation).
   */
  exhaust(headers?: Record<string, string>, limit?: string): Promise<void>;
  /** Scripted steps not used yet, as `nock.pendingMocks()` lists interceptors. */
  pendingMocks(): string[];
  isDone(): boolean;
  /** Throws, naming each unused step, unless every scripted step was used (as `scope.done()`). */
  done(): void;
  /** Awaits a client call while moving fake time between its retries (pass vitest's `vi` or jest's `jest`). */
  settle<T>(promise: Promise<T>, timers: FakeTimerControls, options?: SettleOptions): Promise<T>;
  /** Forgets budgets, attempts, scripts and idempotency keys. */
  reset(): Promise<void>;
  /** Removes the interceptors (nock) and stops the store's timer. */
  restore(): Promise<void>;
}

/** An answer as an interceptor sends it. */
export interface InterceptedAnswer {
  status: number;
  /** Flat [name, value, …]. */
  headers: string[];
  /** Empty for HEAD. */
  body: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The part of the nock and MSW helpers that is theirs alike: turning a fetch `Request` into an engine call
 * and the reply into an answer, with the attempt log, scripts, `exhaust`, `settle` and `reset`. A scripted
 * delay waits on the global `setTimeout`, so fake timers move it.
 */
export function createInterceptedApi(
  engine: Engine,
  base: BaseUrl,
  options: { baseUrl: string; clientIp?: string; warnUnsettledAfterMs?: number | false; restore(): void },
) {
  const log = createAttemptLog();
  const clientIp = options.clientIp ?? '127.0.0.1';
  let busy = 0;
  const watch = watchForForgottenSettle({ afterMs: options.warnUnsettledAfterMs ?? 1000, isBusy: () => busy > 0, warn: (message) => console.warn(message) });
  /** Answers a request below the base URL; undefined for one outside it (left to the network or other handlers). */
  const answer = async (request: Request): Promise<InterceptedAnswer | undefined> => {
    const url = new URL(request.url);
    const path = base.pathOf(url);
    if (path === undefined) return undefined;
    watch.arrived();
    busy += 1;
    const seq = log.reserve();
    let call: Parameters<typeof attemptRecord>[0];
    let atMs: number;
    let reply: Awaited<ReturnType<Engine['respond']>>;
    try {
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const body = new Uint8Array(await request.arrayBuffer());
      const method = request.method.toUpperCase();
      call = { method, url: request.url, path, headers, body };
      atMs = engine.clock.now();
      reply = await engine.respond({ method, url: path, headers, clientAddress: clientIp, body });
    } finally {
      busy -= 1;
    }
    if (reply.latencyMs > 0) await sleep(reply.latencyMs);
    watch.answered(log.recordAt(seq, attemptRecord(call, reply, atMs, engine.clock.now())));
    const { response } = reply;
    return { status: response.status, headers: reply.headers.concat(response.headers), body: call.method === 'HEAD' ? '' : response.body };
  };
  const trimmedBase = options.baseUrl.replace(/\/+$/, '');
  const api: RateLimitedApi = {
    baseUrl: options.baseUrl,
    policy: engine.policy,
    attempts: log.attempts,
    script(match, steps) {
      engine.scripts.add(match, steps);
      return api;
    },
    exhaust: (headers = {}, limit) => engine.exhaust(headers, clientIp, limit),
    pendingMocks: () => engine.scripts.pending(trimmedBase),
    isDone: () => engine.scripts.size === 0,
    done() {
      const pending = api.pendingMocks();
      if (pending.length === 0) return;
      throw new Error(
        `Failed to use every scripted response: ${pending.length} script(s) still have steps:\n${pending.map((p) => `  ${p}`).join('\n')}\nSend the requests the script expects, or drop the steps the test does not need.`,
      );
    },
    settle: (promise, timers, settleOptions) => settleWithFakeTimers(promise, timers, { isBusy: () => busy > 0, ...settleOptions }),
    async reset() {
      watch.stop();
      await engine.reset();
      log.clear();
    },
    async restore() {
      watch.stop();
      options.restore();
      await engine.close();
    },
  };
  return { api, answer };
}
