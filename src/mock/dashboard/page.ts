import { createHash } from 'node:crypto';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

// The dashboard is one HTML file with its stylesheet and script inline: nothing to build, nothing fetched
// but the control API's own JSON and stream. The CSP allows exactly that inline script and stylesheet (by
// hash), same-origin calls, and no framing (a cross-site page cannot overlay it and steal clicks).

const MARKUP = `<header class="page">
<h1>Rate-limit dashboard</h1>
<p id="summary" class="note"></p>
<p id="connection" class="conn">Connecting…</p>
</header>
<main class="page">
<p id="status" class="status" role="status" aria-live="polite"></p>
<form id="token-form" hidden aria-labelledby="token-h">
<h2 id="token-h">Control token</h2>
<p id="token-why"></p>
<div class="field"><label for="token">Token</label><input id="token" type="password" autocomplete="off" spellcheck="false" required aria-describedby="token-note"><button>Use token</button></div>
<p id="token-note" class="note">Kept in this tab only (sessionStorage) and sent as the x-ratelimit-control-token header on each call, never in a URL. You can also open this page as <code>/__ratelimit/ui#token=…</code>: the part after # never leaves the browser.</p>
</form>
<div class="cols">
<section id="clock" aria-labelledby="clock-h">
<h2 id="clock-h">Clock</h2>
<p class="clock"><strong id="clock-mode">…</strong> <time id="clock-now"></time> <span id="clock-offset" class="note"></span></p>
<div class="controls">
<form id="advance-form"><label for="advance-by">Advance by</label><input id="advance-by" value="1m" size="7" required aria-describedby="advance-note"><button>Advance clock</button></form>
<button type="button" id="clock-toggle">Freeze clock</button>
<button type="button" id="reset-all" class="danger">Reset all budgets</button>
</div>
<p id="advance-note" class="note">A duration such as 30s, 1m or 1h, or milliseconds. Advancing freezes the clock: windows end without waiting.</p>
</section>
<div id="main">
<section aria-labelledby="keys-h">
<h2 id="keys-h">Budgets</h2>
<div class="controls">
<div class="field"><label for="key-filter">Filter keys</label><input id="key-filter" type="search" placeholder="org_acme" spellcheck="false"></div>
<div class="field"><label for="key-order">Order</label><select id="key-order"><option value="recent">Most recent first</option><option value="busiest">Busiest first</option></select></div>
</div>
<p id="keys-note" class="note"></p>
<ul class="legend" aria-hidden="true"><li><span class="mark"></span>accepted</li><li><span class="mark rejected"></span>rejected</li><li><span class="mark exempt"></span>exempt</li><li><span class="mark scripted"></span>scripted step</li></ul>
<ul id="keys" class="keys" aria-labelledby="keys-h"></ul>
</section>
<section aria-labelledby="requests-h">
<h2 id="requests-h">Recent requests</h2>
<p id="requests-note" class="note"></p>
<table role="table"><caption id="requests-caption">Latest requests, newest first</caption>
<thead role="rowgroup"><tr role="row"><th role="columnheader" scope="col">Time (UTC)</th><th role="columnheader" scope="col">Request</th><th role="columnheader" scope="col">Key</th><th role="columnheader" scope="col">Status</th><th role="columnheader" scope="col">Outcome</th></tr></thead>
<tbody id="requests" role="rowgroup"></tbody></table>
</section>
</div>
<div id="side">
<section aria-labelledby="faults-h">
<h2 id="faults-h">Scripted faults</h2>
<ul id="faults" class="faults"></ul>
<form id="fault-form" aria-describedby="fault-error">
<fieldset><legend>Add a fault</legend>
<div class="controls">
<div class="field"><label for="fault-kind">Kind</label><select id="fault-kind"><option value="rate-limited">rate-limited (429)</option><option value="server-error">server-error</option><option value="pass">pass, with latency</option><option value="reply">reply</option></select></div>
<div class="field"><label for="fault-times">Times</label><input id="fault-times" type="number" min="1" value="1" required></div>
<div class="field"><label for="fault-method">Method</label><select id="fault-method"><option value="">any</option><option>GET</option><option>POST</option><option>PUT</option><option>PATCH</option><option>DELETE</option></select></div>
<div class="field"><label for="fault-path">Path</label><input id="fault-path" placeholder="/** (every path)" spellcheck="false"></div>
<div class="field" data-for="rate-limited"><label for="fault-retry">Retry after (s)</label><input id="fault-retry" type="number" min="0" placeholder="window"></div>
<div class="field" data-for="server-error reply"><label for="fault-status">Status</label><input id="fault-status" type="number" min="200" max="599" value="503"></div>
<div class="field" data-for="pass"><label for="fault-latency">Latency (ms)</label><input id="fault-latency" type="number" min="0" max="60000" value="500"></div>
<button>Add fault</button>
</div>
<p id="fault-error" class="error"></p>
</fieldset>
</form>
<button type="button" id="clear-faults">Clear faults</button>
</section>
<section aria-labelledby="policy-h">
<h2 id="policy-h">Policy</h2>
<div id="policy"><p class="note">Loading…</p></div>
</section>
</div>
</div>
<p class="note">Live over <code>GET /__ratelimit/events</code> (Server-Sent Events). History is bounded: <span id="bounds">the latest requests overall and per key</span>.
<button type="button" id="forget-token" hidden>Forget the token</button></p>
</main>`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

let page: { body: string; headers: Record<string, string | number> } | undefined;

/** The dashboard's HTML and the headers it is served with (built once). */
export function dashboardPage(): { body: string; headers: Record<string, string | number> } {
  if (page !== undefined) return page;
  const body = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Rate-limit dashboard</title>
<link rel="icon" href="data:,">
<style>${PAGE_STYLE}</style>
</head>
<body>
${MARKUP}
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(PAGE_SCRIPT)}`,
    `style-src ${sha256(PAGE_STYLE)}`,
    "connect-src 'self'",
    // No favicon either: a request for /favicon.ico would spend the page's own budget on a limited path.
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  page = {
    body,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      'content-security-policy': csp,
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    },
  };
  return page;
}
