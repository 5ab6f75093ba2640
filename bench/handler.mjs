// node bench/handler.mjs [root …]: the mock's own JavaScript per request, without sockets. Starts the mock
// in process, takes its node:http 'request' listener and calls it with minimal request and response objects,
// as node would: a limited route (GET /v1/payment-intents as org_acme: target, scope, key, budget, headers,
// route, auth), an exempt route (/health) and a 429. Roots default to this checkout; pass several package
// roots (each with a built dist/) to compare builds: their runs interleave, so the machine's drifts in
// speed hit them alike. Prints the median of the runs in µs per request, and the spread.
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const roots = (process.argv.length > 2 ? process.argv.slice(2) : [new URL('..', import.meta.url).pathname]).map((r) => resolve(r));
const runs = Number(process.env.HANDLER_RUNS ?? 11);
const perRun = Number(process.env.HANDLER_REQUESTS ?? 200_000);
const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const NORTH = { 'x-api-key': 'cat_test_north' };
// HANDLER_API=two-limits measures the draft-12 example instead: two limits (burst, daily) per request, the
// RateLimit and RateLimit-Policy fields written per response (builds from issue 11 on).
const TWO_LIMITS = { spec: 'openapi/examples/ietf-draft-12.yaml', credentials: 'mocks/examples/ietf-draft-12.credentials.json' };
const CASES =
  process.env.HANDLER_API === 'two-limits'
    ? [
        { name: 'two limits, allowed', api: TWO_LIMITS, limit: 1_000_000_000, url: '/v1/products', headers: NORTH },
        { name: 'two limits, 429', api: TWO_LIMITS, limit: 1, url: '/v1/products', headers: NORTH },
      ]
    : [
        { name: 'limited GET, allowed', limit: 1_000_000_000, url: '/v1/payment-intents', headers: ACME },
        { name: 'exempt GET /health', limit: 1_000_000_000, url: '/health', headers: {} },
        { name: 'limited GET, 429', limit: 1, url: '/v1/payment-intents', headers: ACME },
      ];

/** A copy of the draft-12 example whose daily limit is out of the way of a million requests. */
function roomySpec(file) {
  const copy = join(tmpdir(), 'ratelimit-contract-bench-two-limits.yaml');
  writeFileSync(copy, readFileSync(file, 'utf8').replace('limit: 1000\n      window: 1 day', 'limit: 1000000000\n      window: 1 day'));
  return copy;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function prepare(root, c) {
  const { startMockServer } = await import(pathToFileURL(`${root}/dist/mock/index.js`).href);
  const api = c.api ? { spec: roomySpec(resolve(root, c.api.spec)), credentials: resolve(root, c.api.credentials) } : { profile: 'reconlayer' };
  // `limit` sets the first limit (burst); the daily limit of the copy never runs out.
  const mock = await startMockServer({ ...api, limit: c.limit, env: {}, port: 0 });
  const handler = mock.server.listeners('request')[0];
  const probe = { status: 0 };
  const res = {
    headersSent: false,
    statusCode: 200,
    writeHead(code) {
      probe.status = code;
      return this;
    },
    end() {},
    destroy() {},
  };
  const req = { method: 'GET', url: c.url, headers: c.headers, socket: { remoteAddress: '127.0.0.1' } };
  for (let i = 0; i < 50_000; i++) handler(req, res);
  const run = () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < perRun; i++) handler(req, res);
    return Number(process.hrtime.bigint() - start) / perRun / 1000;
  };
  return { root, mock, run, probe, results: [] };
}

console.log(`handler cost per request (µs), node ${process.version}, ${runs} interleaved runs × ${perRun} requests`);
for (const c of CASES) {
  const subjects = [];
  for (const root of roots) subjects.push(await prepare(root, c));
  for (let r = 0; r < runs; r++) for (const s of subjects) s.results.push(s.run());
  const base = subjects[0];
  for (const s of subjects) {
    const m = median(s.results);
    // Runs interleave, so a run of each build sees the same machine: the median of the per-run ratios to the
    // first build is steadier than the ratio of the medians on a shared machine.
    const ratio = s === base ? '' : `, ×${median(s.results.map((r, i) => r / (base?.results[i] ?? r))).toFixed(3)} of the first (median per-run ratio)`;
    console.log(
      `${c.name.padEnd(22)} ${m.toFixed(3)} µs median (min ${Math.min(...s.results).toFixed(3)}, max ${Math.max(...s.results).toFixed(3)})${ratio}, status ${s.probe.status}  ${s.root}`,
    );
    await s.mock.close();
  }
}
