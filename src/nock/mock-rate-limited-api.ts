import { createHash } from 'node:crypto';
import nock from 'nock';
import type { RecordedAttempt } from '../client/attempt.js';
import { RateLimitContractError } from '../core/errors.js';
import type { RateLimitPolicy } from '../core/policy.js';
import { parseRequestTarget } from '../core/request-target.js';
import { createAttemptLog } from './attempt-log.js';
import { type ApiModelOptions, loadApiModel } from './load-api-model.js';
import { respondToCall } from './respond-to-call.js';
import { createScriptQueue, type ScriptMatch, type ScriptStep, scriptLabel } from './scripted-sequence.js';
import { type FakeTimerControls, type SettleOptions, settleWithFakeTimers } from './settle-with-fake-timers.js';

/** Options of `mockRateLimitedApi`: the API (profile or spec, with the mock's overrides) and where it lives. */
export interface MockRateLimitedApiOptions extends ApiModelOptions {
  /** The origin (and optional base path) clients call, e.g. `https://api.reconlayer.test`. */
  baseUrl: string;
}

/** A profile's budget behaviour behind nock, with scripts and an attempt log. */
export interface RateLimitedApi {
  readonly baseUrl: string;
  readonly policy: RateLimitPolicy;
  /** Every request so far, in arrival order, with `Date.now()` times (virtual under fake timers). */
  readonly attempts: readonly RecordedAttempt[];
  /** Queues scripted answers for matching requests; once used up, the profile answers again. */
  script(match: ScriptMatch, steps: readonly ScriptStep[]): RateLimitedApi;
  /** Spends the whole budget of the key these headers resolve to (default: the fallback IP). */
  exhaust(headers?: Record<string, string>): Promise<void>;
  /** Scripted steps not used yet, as `nock.pendingMocks()` lists interceptors. */
  pendingMocks(): string[];
  isDone(): boolean;
  /** Throws, naming each unused step, unless every scripted step was used (as `scope.done()`). */
  done(): void;
  /** Awaits a client call while moving fake time between its retries (pass vitest's `vi` or jest's `jest`). */
  settle<T>(promise: Promise<T>, timers: FakeTimerControls, options?: SettleOptions): Promise<T>;
  /** Forgets budgets, attempts, scripts and idempotency keys. */
  reset(): Promise<void>;
  /** Removes the interceptors and stops the store's timer. */
  restore(): Promise<void>;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function parseBaseUrl(baseUrl: string): { origin: string; prefix: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new RateLimitContractError(
      'ERR_RLC_USAGE',
      `Failed to mock the API at "${baseUrl}": it is not an absolute URL. Pass baseUrl like "https://api.reconlayer.test".`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RateLimitContractError('ERR_RLC_USAGE', `Failed to mock the API at "${baseUrl}": nock intercepts http and https only. Pass an http(s) baseUrl.`);
  }
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
}

/**
 * Puts a profile's whole rate-limit behaviour behind nock for one base URL: per-key budgets on the
 * `Date.now()` clock, the profile's 429 headers and body, exempt paths left alone, scripted sequences,
 * and an attempt log for `assertRetryLog`.
 * @example const api = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: 'https://api.reconlayer.test' });
 */
export async function mockRateLimitedApi(options: MockRateLimitedApiOptions): Promise<RateLimitedApi> {
  const { origin, prefix } = parseBaseUrl(options.baseUrl);
  const model = await loadApiModel(options);
  const log = createAttemptLog();
  const scripts = createScriptQueue();
  let busy = 0;
  const inScope = (uri: string) => prefix === '' || uri === prefix || uri.startsWith(`${prefix}/`) || uri.startsWith(`${prefix}?`);
  const answer = async (request: Request): Promise<[number, Buffer | string, string[]]> => {
    busy += 1;
    let reply: Awaited<ReturnType<typeof respondToCall>>;
    let attempt: Omit<RecordedAttempt, 'seq' | 'respondedAtMs' | 'status'>;
    const seq = log.reserve();
    try {
      const url = new URL(request.url);
      const path = (url.pathname + url.search).slice(prefix.length) || '/';
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const body = Buffer.from(await request.arrayBuffer());
      const method = request.method.toUpperCase();
      const step = scripts.take(method, parseRequestTarget(path).path);
      const atMs = Date.now();
      reply = await respondToCall(model, { method, path, headers, body }, step);
      attempt = {
        atMs,
        method,
        url: request.url,
        path,
        headers,
        idempotencyKey: headers['idempotency-key'],
        bodySha256: body.length > 0 ? createHash('sha256').update(body).digest('hex') : undefined,
        key: reply.key,
        scope: reply.scope,
        remaining: reply.remaining,
        retryAfterSeconds: reply.retryAfterSeconds,
        scripted: scriptLabel(step),
      };
    } finally {
      busy -= 1;
    }
    if (reply.latencyMs > 0) await sleep(reply.latencyMs);
    log.recordAt(seq, { ...attempt, respondedAtMs: Date.now(), status: reply.status });
    return [reply.status, attempt.method === 'HEAD' ? '' : reply.body, reply.headers];
  };
  const scope = nock(origin).persist();
  const interceptors = METHODS.map((method) => {
    const interceptor = scope.intercept(inScope, method).optionally();
    interceptor.reply(answer);
    return interceptor;
  });
  const api: RateLimitedApi = {
    baseUrl: options.baseUrl,
    policy: model.policy,
    attempts: log.attempts,
    script(match, steps) {
      scripts.add(match, steps);
      return api;
    },
    async exhaust(headers = {}) {
      const key = model.resolveKey(headers, model.clientIp);
      for (let i = 0; i < model.policy.limit; i += 1) if (!(await model.limiter.consume(key)).allowed) break;
    },
    pendingMocks: () => scripts.pending(options.baseUrl.replace(/\/+$/, '')),
    isDone: () => scripts.pending('').length === 0,
    done() {
      const pending = api.pendingMocks();
      if (pending.length === 0) return;
      throw new Error(
        `Failed to use every scripted response: ${pending.length} script(s) still have steps:\n${pending.map((p) => `  ${p}`).join('\n')}\nSend the requests the script expects, or drop the steps the test does not need.`,
      );
    },
    settle: (promise, timers, settleOptions) => settleWithFakeTimers(promise, timers, { isBusy: () => busy > 0, ...settleOptions }),
    async reset() {
      await model.store.resetAll();
      model.idempotency.clear();
      scripts.clear();
      log.clear();
    },
    async restore() {
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
      await model.store.close();
    },
  };
  return api;
}
