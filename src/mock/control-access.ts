import type { IncomingMessage } from 'node:http';
import { CONTROL_TOKEN_HEADER } from './control-token.js';
import { isDashboardPage } from './dashboard/dashboard-routes.js';

/** Who may drive the control API: a token check when a token is configured, else loopback callers only. */
export interface ControlGuard {
  /** Undefined without `--control-token`: then only loopback callers, naming a loopback host, get in. */
  tokenMatches: ((given: string | string[] | undefined) => boolean) | undefined;
}

/** A refusal says what to fix; it never names the token or its length. */
export type ControlVerdict = { allowed: true } | { allowed: false; status: 403 | 415; message: string };

const ALLOWED: ControlVerdict = { allowed: true };
const LOOPBACK_ADDRESS = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const LOOPBACK_IPV4 = /^127(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** Methods that send the control API no body; every other method must say its body is JSON. */
const READS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/** `localhost`, a name under `.localhost` (RFC 6761), `127.x.y.z` or `[::1]`, with an optional port. */
export function isLoopbackHost(host: string): boolean {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(host.trim().toLowerCase());
  if (!match) return false;
  const name = (match[1] ?? '').replace(/\.$/, '');
  if (name.startsWith('[')) return name === '[::1]' || LOOPBACK_IPV4.test(name.replace(/^\[::ffff:/, '').replace(/\]$/, ''));
  return name === 'localhost' || name.endsWith('.localhost') || LOOPBACK_IPV4.test(name);
}

const refuse = (status: 403 | 415, message: string): ControlVerdict => ({ allowed: false, status, message });

/**
 * The one access check of the control API: every `/__ratelimit` route, present and future (the dashboard's
 * page and event stream too), goes through it before it runs (`serveControl` in handle-request.ts).
 * 1. The caller: the token when one is configured, else a loopback socket address (never a forwarding header).
 *    In token mode the dashboard's page itself loads without it: it holds no data, and a browser cannot send
 *    a header when it opens a page, so the page asks for the token and sends it on every call it makes.
 * 2. Without a token, the Host must name loopback: a page that rebinds its own DNS name to 127.0.0.1 sends
 *    its own name, so it cannot read `/budgets` as a same-origin page.
 * 3. Browsers: a request a page of another origin makes (`Sec-Fetch-Site` other than `same-origin` or
 *    `none`, or an `Origin` that is not this server's) is refused; another port of localhost is
 *    `same-site`, and refused too. A same-origin page, a typed URL and an EventSource of the same origin pass.
 * 4. Writes carry JSON (`Content-Type: application/json`): a form, or a `text/plain` no-cors fetch, cannot
 *    send that without a CORS preflight, which this API never grants.
 */
export function checkControlAccess(req: IncomingMessage, method: string, guard: ControlGuard): ControlVerdict {
  const { headers } = req;
  if (guard.tokenMatches) {
    if (!guard.tokenMatches(headers[CONTROL_TOKEN_HEADER]) && !isDashboardPage(req)) {
      return refuse(403, `The control API needs the ${CONTROL_TOKEN_HEADER} header with the token the mock was started with (--control-token)`);
    }
  } else {
    if (!LOOPBACK_ADDRESS.test(req.socket.remoteAddress ?? '')) {
      return refuse(403, 'The control API answers loopback callers only. Start the mock with --control-token to allow other callers');
    }
    if (headers.host !== undefined && !isLoopbackHost(headers.host)) {
      return refuse(
        403,
        'The control API answers requests for localhost or 127.0.0.1 only (another host name may be a web page rebinding its DNS to this machine). Call http://127.0.0.1:<port>/__ratelimit/..., or start the mock with --control-token',
      );
    }
  }
  const site = headers['sec-fetch-site'];
  const origin = headers.origin;
  if ((site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && !isOwnOrigin(origin, headers.host))) {
    return refuse(403, 'The control API refuses requests from web pages of another origin. Call it from your tests, a script or curl');
  }
  if (!READS.has(method) && !isJson(headers['content-type'])) {
    return refuse(415, "The control API takes JSON bodies. Send Content-Type: application/json (curl: -H 'content-type: application/json')");
  }
  return ALLOWED;
}

/** The Origin a page served by this very server sends (`null` and every other origin are not). */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  const own = origin.toLowerCase();
  const name = host.trim().toLowerCase();
  return own === `http://${name}` || own === `https://${name}`;
}

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}
