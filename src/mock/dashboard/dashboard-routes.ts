import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTROL_PREFIX, type ControlContext } from '../control-api.js';
import { DashboardHub } from './dashboard-hub.js';
import { dashboardPage } from './page.js';

// The dashboard lives in the control API: GET /__ratelimit/ui (the page) and GET /__ratelimit/events (its
// live stream). Both pass the control API's one access check (checkControlAccess in control-access.ts) before they get here.

const hubs = new WeakMap<ControlContext, DashboardHub>();

/** The dashboard hub of a control context (one per mock server), made on first use. */
export function dashboardHubOf(ctx: ControlContext): DashboardHub | undefined {
  if (ctx.observers === undefined) return undefined;
  let hub = hubs.get(ctx);
  if (hub === undefined) {
    hub = new DashboardHub(ctx, ctx.observers);
    hubs.set(ctx, hub);
  }
  return hub;
}

/** Routes below /__ratelimit that the dashboard answers. */
export const isDashboardRoute = (route: string): boolean => route === '/ui' || route === '/events';

/**
 * A browser loading the dashboard's page: GET or HEAD of exactly /__ratelimit/ui (a query allowed), as a
 * browser sends it. The page is the same static file for everyone and holds no data; every call it makes
 * for data or changes passes the access check as usual. Any other spelling of the path is not this.
 */
export function isDashboardPage(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const page = `${CONTROL_PREFIX}/ui`;
  return req.url === page || (req.url?.startsWith(`${page}?`) ?? false);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Answers /__ratelimit/ui and /__ratelimit/events. */
export function serveDashboard(ctx: ControlContext, method: string, route: string, res: ServerResponse): void {
  if (method !== 'GET' && (method !== 'HEAD' || route !== '/ui')) {
    const allow = route === '/ui' ? 'GET, HEAD' : 'GET';
    sendJson(res, 405, { error: `Failed to serve ${method} ${CONTROL_PREFIX}${route}: it answers ${allow} only.` }, { allow });
    return;
  }
  if (route === '/ui') {
    const page = dashboardPage();
    res.writeHead(200, page.headers);
    res.end(method === 'HEAD' ? undefined : page.body);
    return;
  }
  const hub = dashboardHubOf(ctx);
  if (hub === undefined) sendJson(res, 501, { error: 'Failed to open the live stream: this control API has no request observers.' });
  else hub.openStream(res);
}
