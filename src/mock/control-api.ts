import type { ServerResponse } from 'node:http';
import { parseDurationMs } from '../core/duration.js';
import type { Engine } from '../engine/create-engine.js';
import { stepFromJson } from '../engine/scripted-steps.js';
import type { AttemptRecorder } from './attempt-recorder.js';
import { serveAttempts } from './attempts-route.js';
import type { ControlGuard } from './control-access.js';
import { isDashboardRoute, serveDashboard } from './dashboard/dashboard-routes.js';
import type { RequestObservers } from './request-observers.js';

/** The reserved prefix of the test-control endpoints. */
export const CONTROL_PREFIX = '/__ratelimit';

export interface ControlContext {
  /** The engine it drives: budgets, clock, scripts. */
  engine: Engine;
  /** Who may call it; every route goes through `checkControlAccess` (control-access.ts) first. */
  guard: ControlGuard;
  /** The server's observers of answered requests, which the dashboard's live stream joins while open. */
  observers?: RequestObservers;
  /** The attempt log the mock keeps while the control API is on (`/__ratelimit/attempts`). */
  attempts?: AttemptRecorder;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

function windowMsFrom(input: Record<string, unknown>): number | undefined {
  if (typeof input.ms === 'number' && Number.isFinite(input.ms) && input.ms >= 0) return input.ms;
  if (typeof input.by === 'string') return parseDurationMs(input.by);
  return undefined;
}

/**
 * Handles `/__ratelimit/*`: budgets (GET list, GET/DELETE one, DELETE all), the clock (GET, POST
 * `{"mode":"virtual"|"real"}`, POST /clock/advance `{"ms":60000}` or `{"by":"1m"}`), scripted steps (GET,
 * POST one step as JSON in the nock and MSW helpers' vocabulary, with an optional `method` and `path`
 * pattern, DELETE), GET /policy, and the dashboard (GET /ui, its live stream GET /events). Bodies are JSON;
 * errors answer 400 with a message that says what to send.
 */
export async function handleControl(ctx: ControlContext, method: string, path: string, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
  const { engine } = ctx;
  const route = path.slice(CONTROL_PREFIX.length) || '/';
  if (isDashboardRoute(route)) return serveDashboard(ctx, method, route, res);
  if (route === '/policy' && method === 'GET') return send(res, 200, engine.policy);
  if (route === '/budgets' && method === 'GET') {
    return send(res, 200, { budgets: await engine.listBudgets(1000) });
  }
  if (route === '/budgets' && method === 'DELETE') {
    await engine.store.resetAll();
    await engine.idempotency.clear();
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
    if (method === 'GET') return send(res, 200, await engine.describeBudget(key));
    if (method === 'DELETE') {
      await engine.resetBudget(key);
      return send(res, 200, { reset: key });
    }
  }
  if (route === '/clock' && method === 'GET') {
    await engine.clock.sync?.();
    return send(res, 200, { now: engine.clock.now(), mode: engine.clock.frozen ? 'virtual' : 'real' });
  }
  if (route === '/clock' && method === 'POST') {
    if (body.mode === 'virtual') await engine.clock.freeze();
    else if (body.mode === 'real') await engine.clock.resume();
    else return send(res, 400, { error: 'Failed to set the clock: send {"mode":"virtual"} or {"mode":"real"}.' });
    return send(res, 200, { now: engine.clock.now(), mode: engine.clock.frozen ? 'virtual' : 'real' });
  }
  if (route === '/clock/advance' && method === 'POST') {
    const ms = windowMsFrom(body);
    // Past 2^53 ms the clock loses whole milliseconds (1e300 gave x-ratelimit-reset: 0, then NaN).
    if (ms === undefined || !Number.isSafeInteger(Math.ceil(engine.clock.now() + ms))) {
      return send(res, 400, { error: 'Failed to advance the clock: send {"ms":60000} or {"by":"1m"}, keeping the clock below 2^53 ms.' });
    }
    await engine.clock.advance(ms);
    return send(res, 200, { now: engine.clock.now(), mode: 'virtual' });
  }
  if (route === '/faults' && (method === 'GET' || method === 'POST' || method === 'DELETE')) return scripts(engine, method, body, res);
  if (ctx.attempts && (route === '/attempts' || route.startsWith('/attempts/'))) {
    const answer = serveAttempts(engine, ctx.attempts, method, route);
    return send(res, answer.status, answer.body);
  }
  return send(res, 404, { error: `Failed to find the control endpoint ${method} ${path}: see the README's "Test control" section.` });
}

/**
 * `/__ratelimit/faults`: the engine's scripted steps, one per POST (`{"kind":"rate-limited","times":2,
 * "path":"/v1/payment-intents"}`; the first words `status-429`, `status-500`, `latency` and `count` are still
 * read). `path` is a pattern as in the helpers' scripts (`/v1/payment-intents`, `/v1/api/**`); none matches every path.
 */
async function scripts(engine: Engine, method: string, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
  if (method === 'GET') return send(res, 200, { faults: engine.scripts.list() });
  if (method === 'DELETE') {
    engine.scripts.clear();
    return send(res, 200, { faults: [] });
  }
  const step = stepFromJson(body);
  const path = body.path === undefined ? '/**' : body.path;
  const fail = (reason: string) =>
    send(res, 400, {
      error: `Failed to add a scripted step: ${reason}. Send e.g. {"kind":"rate-limited","times":2,"path":"/v1/payment-intents"}; kinds rate-limited, server-error, pass, reply.`,
    });
  if (typeof step === 'string') return fail(step);
  if (typeof path !== 'string' || !path.startsWith('/')) return fail('"path" must be a path pattern that starts with "/"');
  if (body.method !== undefined && typeof body.method !== 'string') return fail('"method" must be a string');
  const id = engine.scripts.add({ method: body.method as string | undefined, path }, [step]);
  return send(
    res,
    201,
    engine.scripts.list().find((script) => script.id === id),
  );
}
