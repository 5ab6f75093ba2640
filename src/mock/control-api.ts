import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BudgetStore } from '../core/budget-store.js';
import type { ControllableClock } from '../core/clock.js';
import { parseDurationMs } from '../core/duration.js';
import type { Limiter } from '../core/limiter.js';
import type { RateLimitPolicy } from '../core/policy.js';
import { toWholeSeconds } from '../core/rate-limit-headers.js';
import type { Fault, FaultQueue } from './faults.js';

/** The reserved prefix of the test-control endpoints. */
export const CONTROL_PREFIX = '/__ratelimit';

export interface ControlContext {
  policy: RateLimitPolicy;
  limiter: Limiter;
  store: BudgetStore;
  clock: ControllableClock;
  faults: FaultQueue;
  /** Forgets idempotency keys (with a reset of all budgets). */
  resetIdempotency(): void;
  /** When set, every control request must carry it in `x-ratelimit-control-token`. */
  token?: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

function tokenMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Who may use the control API: loopback callers only, unless a token is configured, which is then required. */
export function controlAllowed(req: IncomingMessage, token: string | undefined): boolean {
  if (token !== undefined) return tokenMatches(req.headers['x-ratelimit-control-token'], token);
  return LOOPBACK.test(req.socket.remoteAddress ?? '');
}

function windowMsFrom(input: Record<string, unknown>): number | undefined {
  if (typeof input.ms === 'number' && Number.isFinite(input.ms) && input.ms >= 0) return input.ms;
  if (typeof input.by === 'string') return parseDurationMs(input.by);
  return undefined;
}

async function describeBudget(ctx: ControlContext, key: string) {
  const decision = await ctx.limiter.peek(key);
  return { key, limit: decision.limit, remaining: decision.remaining, resetSeconds: toWholeSeconds(decision.resetMs) };
}

/**
 * Handles `/__ratelimit/*`: budgets (GET list, GET/DELETE one, DELETE all), the clock (GET, POST
 * `{"mode":"virtual"|"real"}`, POST /clock/advance `{"ms":60000}` or `{"by":"1m"}`), faults (GET, POST
 * `{"kind":"status-429"|"status-500"|"latency","count":N,"method"?,"path"?,"latencyMs"?}`, DELETE) and
 * GET /policy. Bodies are JSON; errors answer 400 with a message that says what to send.
 */
export async function handleControl(ctx: ControlContext, method: string, path: string, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
  const route = path.slice(CONTROL_PREFIX.length) || '/';
  if (route === '/policy' && method === 'GET') return send(res, 200, ctx.policy);
  if (route === '/budgets' && method === 'GET') {
    const keys = await ctx.store.keys(1000);
    return send(res, 200, { budgets: await Promise.all(keys.map((key) => describeBudget(ctx, key))) });
  }
  if (route === '/budgets' && method === 'DELETE') {
    await ctx.store.resetAll();
    ctx.resetIdempotency();
    return send(res, 200, { reset: 'all' });
  }
  if (route.startsWith('/budgets/')) {
    let key: string;
    try {
      key = decodeURIComponent(route.slice('/budgets/'.length));
    } catch {
      return send(res, 400, {
        error: 'Failed to read the budget key: it is not valid percent-encoding. Encode it with encodeURIComponent, e.g. /__ratelimit/budgets/ip%3A127.0.0.1.',
      });
    }
    if (method === 'GET') return send(res, 200, await describeBudget(ctx, key));
    if (method === 'DELETE') {
      await ctx.store.resetKey(key);
      return send(res, 200, { reset: key });
    }
  }
  if (route === '/clock' && method === 'GET') return send(res, 200, { now: ctx.clock.now(), mode: ctx.clock.frozen ? 'virtual' : 'real' });
  if (route === '/clock' && method === 'POST') {
    if (body.mode === 'virtual') ctx.clock.freeze();
    else if (body.mode === 'real') ctx.clock.resume();
    else return send(res, 400, { error: 'Failed to set the clock: send {"mode":"virtual"} or {"mode":"real"}.' });
    return send(res, 200, { now: ctx.clock.now(), mode: ctx.clock.frozen ? 'virtual' : 'real' });
  }
  if (route === '/clock/advance' && method === 'POST') {
    const ms = windowMsFrom(body);
    // Past 2^53 ms the clock loses whole milliseconds (1e300 gave x-ratelimit-reset: 0, then NaN).
    if (ms === undefined || !Number.isSafeInteger(Math.ceil(ctx.clock.now() + ms))) {
      return send(res, 400, { error: 'Failed to advance the clock: send {"ms":60000} or {"by":"1m"}, keeping the clock below 2^53 ms.' });
    }
    ctx.clock.advance(ms);
    return send(res, 200, { now: ctx.clock.now(), mode: 'virtual' });
  }
  if (route === '/faults' && method === 'GET') return send(res, 200, { faults: ctx.faults.list() });
  if (route === '/faults' && method === 'DELETE') {
    ctx.faults.clear();
    return send(res, 200, { faults: [] });
  }
  if (route === '/faults' && method === 'POST') {
    const kinds = ['status-429', 'status-500', 'latency'];
    const count = body.count === undefined ? 1 : body.count;
    if (typeof body.kind !== 'string' || !kinds.includes(body.kind) || typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
      return send(res, 400, {
        error: `Failed to add a fault: send {"kind":"${kinds.join('"|"')}","count":N} with N ≥ 1, and optionally "method", "path" and "latencyMs".`,
      });
    }
    const latencyMs = typeof body.latencyMs === 'number' && body.latencyMs >= 0 ? Math.min(body.latencyMs, 60_000) : 0;
    const fault = ctx.faults.add({
      kind: body.kind as Fault['kind'],
      remaining: count,
      latencyMs,
      method: typeof body.method === 'string' ? body.method.toUpperCase() : undefined,
      path: typeof body.path === 'string' ? body.path : undefined,
    });
    return send(res, 201, fault);
  }
  return send(res, 404, { error: `Failed to find the control endpoint ${method} ${path}: see the README's "Test control" section.` });
}
