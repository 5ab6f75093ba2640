// npm run soak: the CLI mock as a separate process under full load for SOAK_SECONDS (default 600) on
// 127.0.0.1, with a mix of many keys (distinct X-Forwarded-For under --trust-proxy), hot keys that live on
// 429s, exempt paths, 401s and webhook POSTs. Prints throughput and the status mix per interval and the
// mock's RSS (VmRSS from /proc/<pid>/status, sampled every second) before the load, at the start (median
// of 5 s after a warm-up) and at the end (median of the last 5 s). Exit 1 if RSS grew by 10% or more from start to end, if the mock died or answered any 5xx, or if
// the load generator saw connection errors or timeouts. CI runs a 30 s version (see .ci/run).
// Env: SOAK_SECONDS (600), SOAK_CONNECTIONS (64), SOAK_KEYS (100000 distinct client addresses), SOAK_NODE_FLAGS (for the mock).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';

const root = new URL('..', import.meta.url).pathname;
const CLI = `${root}dist/cli/main.js`;
const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 64);
const KEYS = Number(process.env.SOAK_KEYS ?? 100_000);
const WINDOW_SECONDS = 5;
/**
 * RSS is compared from the end of the warm-up: first the young generation, socket buffers and the store
 * grow to their steady size, so the warm-up spans at least 3 windows (10% of a long run, up to 60 s) and
 * lasts until the address pool has been used once, expired and swept (see warmupEnd).
 */
const WARMUP_SECONDS = Math.min(60, Math.max(3 * WINDOW_SECONDS, Math.round(SECONDS * 0.1)));
const INTERVAL_SECONDS = Math.max(5, Math.round(SECONDS / 20));
const MAX_GROWTH = 0.1;
/**
 * Extra node flags for the mock. V8 grows the young generation once under load, from a small size to its
 * maximum (16 MB per semi-space): a one-time step of about 12 MB, 10–30 s into the run depending on the
 * machine's speed. A long run waits it out; CI's 30 s run starts the mock with `--min-semi-space-size=16`,
 * the size it would grow to, so that the step does not read as a leak.
 */
const NODE_FLAGS = (process.env.SOAK_NODE_FLAGS ?? '').split(' ').filter(Boolean);

if (!Number.isFinite(SECONDS) || SECONDS < 20) {
  console.error(`soak: Failed to read SOAK_SECONDS: "${process.env.SOAK_SECONDS}" is not a number of seconds ≥ 20. Set e.g. SOAK_SECONDS=30.`);
  process.exit(2);
}
if (!existsSync(CLI)) {
  console.error('soak: Failed to find dist/cli/main.js: the CLI is not built. Run `npm run build` first.');
  process.exit(2);
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });

const rssMb = (pid) => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
};

async function waitForHealth(url, timeoutMs = 15_000) {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    try {
      const res = await fetch(`${url}/health`);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`Failed to reach the mock at ${url} within ${timeoutMs} ms`);
}

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const mock = spawn(
  process.execPath,
  [
    ...NODE_FLAGS,
    CLI,
    'mock',
    '--profile',
    'reconlayer',
    '--port',
    String(port),
    '--quiet',
    '--trust-proxy',
    '--limit',
    '100',
    '--window',
    `${WINDOW_SECONDS}s`,
  ],
  {
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
let mockStderr = '';
mock.stderr.on('data', (d) => {
  mockStderr += d;
});
let died = false;
mock.on('exit', (code, signal) => {
  died = true;
  if (!stopping) console.error(`soak: the mock exited during the run (code ${code}, signal ${signal}): ${mockStderr.trim()}`);
});
let stopping = false;
// A watchdog: whatever happens, nothing runs past the soak plus a minute.
const watchdog = setTimeout(
  () => {
    console.error('soak: Failed to finish in time; stopping.');
    mock.kill('SIGKILL');
    process.exit(1);
  },
  (SECONDS + 60) * 1000,
);
watchdog.unref();

await waitForHealth(url);
const idleRss = rssMb(mock.pid);

const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const GLOBEX = { authorization: 'Bearer rl_test_globex_primary' };
let next = 0;
const ipOf = (i) => `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
/** When every client address had been used once: from then on the key pool churns at its steady size. */
let cycledAtSeconds = Number.NaN;
const manyKeys = (req) => {
  if (next === KEYS) cycledAtSeconds = (performance.now() - started) / 1000;
  return { ...req, headers: { ...req.headers, 'x-forwarded-for': ipOf(next++ % KEYS) } };
};
const requests = [
  { method: 'GET', path: '/v1/payment-intents?limit=25&offset=0', headers: ACME }, // hot key: 429 after 100 per window
  { method: 'GET', path: '/v1/payment-intents?limit=25&offset=0', setupRequest: manyKeys }, // many IP keys: 401
  { method: 'GET', path: '/health' }, // exempt
  { method: 'GET', path: '/v1/payment-intents/pi_3MtwBwLkdIwHu7ix28a3tqPa', headers: GLOBEX }, // hot key: 429
  { method: 'GET', path: '/docs/quickstart', setupRequest: manyKeys }, // exempt
  { method: 'POST', path: '/webhooks/stripe', headers: { 'content-type': 'application/json' }, body: '{"id":"evt_1","type":"payment_intent.succeeded"}' }, // exempt POST
  { method: 'GET', path: '/v1/payment-intents?limit=25&offset=0', headers: { authorization: 'Bearer forged' }, setupRequest: manyKeys }, // unknown token → IP key
  { method: 'GET', path: '/openapi.json' }, // exempt, larger body
];

const statusCounts = new Map();
let intervalCount = 0;
let totalErrors = 0;
const rows = [];
const started = performance.now();
const instance = autocannon({ url, connections: CONNECTIONS, duration: SECONDS, requests, timeout: 10 });
instance.on('response', (_client, statusCode) => {
  intervalCount += 1;
  const bucket = statusCode === 429 ? '429' : `${Math.floor(statusCode / 100)}xx`;
  statusCounts.set(bucket, (statusCounts.get(bucket) ?? 0) + 1);
});
instance.on('reqError', () => {
  totalErrors += 1;
});

/** RSS every second; start and end are medians over 5 s, so one GC's sawtooth does not decide. */
const rssSamples = [];
const rssSampler = setInterval(() => {
  if (!died) rssSamples.push({ t: (performance.now() - started) / 1000, rss: rssMb(mock.pid) });
}, 1000);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor(sorted.length / 2)];
};
let lastTick = performance.now();
let intervalStatuses = new Map();
const sampler = setInterval(() => {
  if (died) return;
  const now = performance.now();
  const elapsed = (now - started) / 1000;
  const seconds = (now - lastTick) / 1000;
  const mix = [...statusCounts.entries()].map(([k, v]) => [k, v - (intervalStatuses.get(k) ?? 0)]).filter(([, v]) => v > 0);
  const row = { t: Math.round(elapsed), rps: Math.round(intervalCount / seconds), rss: rssMb(mock.pid), mix };
  rows.push(row);
  console.log(
    `  ${String(row.t).padStart(4)} s  ${String(row.rps).padStart(6)} req/s  rss ${row.rss.toFixed(1)} MB  ${mix.map(([k, v]) => `${k} ${v}`).join('  ')}`,
  );
  intervalStatuses = new Map(statusCounts);
  intervalCount = 0;
  lastTick = now;
}, INTERVAL_SECONDS * 1000);

console.log(
  `soak: ${SECONDS} s at full load (${CONNECTIONS} connections) on ${url}, mock pid ${mock.pid}, ${KEYS.toLocaleString('en')} client addresses; idle RSS ${idleRss.toFixed(1)} MB`,
);
const result = await instance;
clearInterval(sampler);
clearInterval(rssSampler);
// The warm-up also waits until the first pass over the address pool has expired and been swept (one
// window, then the store's 5 s sweep): until then the store and V8's heap are still growing to their
// steady size, which is a one-time step, not a leak.
const warmupEnd = Math.ceil(Math.max(WARMUP_SECONDS, cycledAtSeconds + 2 * WINDOW_SECONDS));
const startRss = median(rssSamples.filter((r) => r.t >= warmupEnd && r.t < warmupEnd + 5).map((r) => r.rss));
const endRss = died ? Number.NaN : median(rssSamples.filter((r) => r.t >= SECONDS - 5).map((r) => r.rss));

stopping = true;
let exitCode = null;
if (!died) {
  mock.kill('SIGTERM');
  [exitCode] = await Promise.race([once(mock, 'exit'), sleep(10_000).then(() => [null])]);
  if (exitCode === null) mock.kill('SIGKILL');
}

const growth = (endRss - startRss) / startRss;
const total = result.requests.total;
const fiveXx = result['5xx'];
console.log(
  `\nsoak: ${total.toLocaleString('en')} requests in ${result.duration} s, ${Math.round(result.requests.average).toLocaleString('en')} req/s on average (min ${result.requests.min}, max ${result.requests.max} per second), latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
);
console.log(
  `soak: status mix ${[...statusCounts.entries()].map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}; errors ${result.errors}, timeouts ${result.timeouts}`,
);
console.log(
  `soak: mock RSS idle ${idleRss.toFixed(1)} MB, start ${startRss.toFixed(1)} MB (median of ${warmupEnd}–${warmupEnd + 5} s, after the warm-up), end ${endRss.toFixed(1)} MB (median of the last 5 s), growth ${(growth * 100).toFixed(1)}%; max ${Math.max(...rssSamples.map((r) => r.rss)).toFixed(1)} MB`,
);

const problems = [];
if (died && exitCode === null) problems.push('the mock died during the run');
if (fiveXx > 0) problems.push(`the mock answered ${fiveXx} 5xx responses`);
if (result.errors > 0 || result.timeouts > 0 || totalErrors > 0) problems.push(`${result.errors} connection errors and ${result.timeouts} timeouts`);
if (!(warmupEnd + 10 <= SECONDS)) {
  problems.push(
    `the run was too short to measure growth: the ${KEYS.toLocaleString('en')} client addresses were first all used at ${Number.isNaN(cycledAtSeconds) ? 'no point' : `${Math.round(cycledAtSeconds)} s`}, so the warm-up ends at ${Number.isFinite(warmupEnd) ? warmupEnd : 'never'} s; raise SOAK_SECONDS or lower SOAK_KEYS`,
  );
} else if (!(growth < MAX_GROWTH)) problems.push(`RSS grew ${(growth * 100).toFixed(1)}% (limit ${MAX_GROWTH * 100}%)`);
if (!(statusCounts.get('429') > 0) || !(statusCounts.get('2xx') > 0)) problems.push('the mix saw no 429s or no 2xx');
if (exitCode !== 0) problems.push(`the mock exited with ${exitCode} on SIGTERM`);
for (const p of problems) console.error(`soak: FAIL ${p}`);
if (problems.length === 0) console.log('soak: PASS');
process.exit(problems.length === 0 ? 0 : 1);
