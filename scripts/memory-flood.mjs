// npm run memory (node --expose-gc scripts/memory-flood.mjs): how much memory 1,000,000 distinct budget
// keys (an IP flood) cost, and whether it comes back once their windows pass. Two measurements:
//   store  the default memory store in this process: 1M keys straight into consume(), once per algorithm
//          (fixed-window, sliding-window, token-bucket; FLOOD_ALGORITHMS=a,b picks some).
//   http   the mock in a child process (same startMockServer as the CLI, --trust-proxy), flooded over
//          loopback with pipelined requests that each carry a distinct X-Forwarded-For; the child
//          reports its RSS after a forced GC (it runs with --expose-gc and answers over IPC).
// Then the budget clock is moved past the window (the control API's virtual clock) and the store's
// background sweep runs on its own timer, in slices; we report the worst event-loop delay meanwhile.
// A second round floods fresh keys into the same process: the memory given back is reused, not added to.
// Env: FLOOD_KEYS (default 1000000), FLOOD_MODE store|http|both (default both), FLOOD_ROUNDS (default 2),
// FLOOD_LIMIT_MB (default 150), FLOOD_ALGORITHMS (store mode; default all three).
// Exit 1 when a flood costs FLOOD_LIMIT_MB or more RSS above the baseline, when keys or their memory
// (heap + buffers) are still live after the windows passed, or when a later round grows over 10%
// (+16 MB of young-generation noise) more than the first. RSS after expiry is printed too: it keeps
// V8's grown young generation and the allocator's free pages, which the next flood reuses.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const root = new URL('..', import.meta.url).pathname;
const KEYS = Number(process.env.FLOOD_KEYS ?? 1_000_000);
const MODE = process.env.FLOOD_MODE ?? 'both';
const ROUNDS = Number(process.env.FLOOD_ROUNDS ?? 2);
const LIMIT_MB = Number(process.env.FLOOD_LIMIT_MB ?? 150);
const ALGORITHMS = (process.env.FLOOD_ALGORITHMS ?? 'fixed-window,sliding-window,token-bucket').split(',');
// Ten minutes: a flood on a loaded machine can take over a minute, and no key may expire before it ends.
const WINDOW_MS = 600_000;
const mb = (bytes) => bytes / 1_048_576;
/** Noise allowed between rounds: V8's young generation alone can grow by 16 MB. */
const SLACK = 16 * 1_048_576;
const fmt = (bytes) => `${mb(bytes).toFixed(1)} MB`;

if (typeof globalThis.gc !== 'function') {
  console.error('memory-flood: Failed to measure: run it with node --expose-gc (npm run memory does).');
  process.exit(2);
}

/** Full GCs until the heap stops shrinking, then the process's memory figures. */
async function settledMemory() {
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 6; i += 1) {
    globalThis.gc();
    await sleep(50);
    const used = process.memoryUsage().heapUsed;
    if (used >= last * 0.99) break;
    last = used;
  }
  return process.memoryUsage();
}

/** The i-th distinct client address: 10.x.y.z, then 11.x.y.z, … (16.7M before it repeats). */
const ipOf = (i) => `${10 + (i >>> 24)}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;

// ---------------------------------------------------------------- child: the mock, over IPC
if (process.argv[2] === '--serve') {
  const { startMockServer } = await import(`${root}dist/mock/index.js`);
  const mock = await startMockServer({ profile: 'reconlayer', env: {}, port: 0, trustProxy: true, control: true, window: WINDOW_MS });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  process.on('message', async (message) => {
    if (message === 'size') process.send?.({ size: mock.store.size });
    else if (message === 'memory') {
      const memory = await settledMemory();
      process.send?.({ memory, size: mock.store.size, capacity: mock.store.capacity });
    } else if (message === 'delay-start') {
      delay.reset();
      delay.enable();
      process.send?.({ ok: true });
    } else if (message === 'delay-stop') {
      delay.disable();
      process.send?.({ maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6 });
    } else if (message === 'stop') {
      await mock.close();
      process.exit(0);
    }
  });
  process.send?.({ url: mock.url });
  await new Promise(() => {});
}

// ---------------------------------------------------------------- store mode
async function measureStore(algorithm) {
  const { createMemoryStore } = await import(`${root}dist/store/memory-store.js`);
  let nowMs = 1_700_000_000_000;
  const clock = { now: () => nowMs };
  const rule = { limit: 300, windowMs: WINDOW_MS, algorithm };
  const store = createMemoryStore({ clock, sweepIntervalMs: 200 });
  const baseline = await settledMemory();
  const rounds = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    for (let i = 0; i < KEYS; i += 1) {
      await store.consume([{ key: `ip:${ipOf(i + round * KEYS)}`, rule, cost: 1 }], nowMs);
      if ((i & 1023) === 0) nowMs += 1;
    }
    const floodMs = performance.now() - started;
    const flooded = await settledMemory();
    const size = store.size;
    nowMs += WINDOW_MS + 1_000;
    // The store's own timer (every 200 ms here) sweeps in slices; measure the loop meanwhile.
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const sweepStarted = performance.now();
    while (store.size > 0 && performance.now() - sweepStarted < 60_000) await sleep(20);
    delay.disable();
    const sweepMs = performance.now() - sweepStarted;
    const after = await settledMemory();
    rounds.push({ flooded, after, size, sizeAfter: store.size, capacityAfter: store.capacity, floodMs, sweepMs, loopMaxMs: delay.max / 1e6 });
  }
  await store.close();
  return { mode: `store (${algorithm})`, baseline, rounds };
}

// ---------------------------------------------------------------- http mode
function request(child, message) {
  const reply = once(child, 'message').then(([value]) => value);
  child.send(message);
  return reply;
}

/** Sends `total` pipelined GETs over `connections` sockets, each with the next distinct X-Forwarded-For. */
async function flood(url, total, first, connections = 16, depth = 64) {
  const { hostname, port } = new URL(url);
  let next = 0;
  let answered = 0;
  const statuses = new Map();
  const one = () =>
    new Promise((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) });
      let inFlight = 0;
      let carry = '';
      const send = () => {
        let batch = '';
        while (inFlight < depth && next < total) {
          batch += `GET /v1/payment-intents HTTP/1.1\r\nhost: 127.0.0.1\r\nx-forwarded-for: ${ipOf(first + next)}\r\n\r\n`;
          next += 1;
          inFlight += 1;
        }
        if (batch) socket.write(batch);
        else if (inFlight === 0) socket.end();
      };
      socket.setEncoding('latin1');
      socket.on('connect', send);
      socket.on('data', (text) => {
        // Responses are small JSON documents; each begins with a status line.
        const data = carry + text;
        let at = 0;
        for (;;) {
          const found = data.indexOf('HTTP/1.1 ', at);
          if (found === -1 || found + 12 > data.length) break;
          const status = data.slice(found + 9, found + 12);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          inFlight -= 1;
          answered += 1;
          at = found + 12;
        }
        carry = data.slice(Math.max(at, data.length - 11));
        send();
      });
      socket.on('error', reject);
      socket.on('close', resolve);
    });
  const started = performance.now();
  const progress = setInterval(() => console.error(`  … ${answered.toLocaleString('en')} requests answered`), 10_000);
  try {
    await Promise.all(Array.from({ length: connections }, one));
  } finally {
    clearInterval(progress);
  }
  return { answered, statuses: Object.fromEntries(statuses), ms: performance.now() - started };
}

async function measureHttp() {
  const child = fork(new URL(import.meta.url).pathname, ['--serve'], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const [{ url }] = await once(child, 'message');
    const baseline = (await request(child, 'memory')).memory;
    const rounds = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const sent = await flood(url, KEYS, round * KEYS);
      const flooded = await request(child, 'memory');
      await request(child, 'delay-start');
      const advanced = await fetch(`${url}/__ratelimit/clock/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ms: WINDOW_MS + 1_000 }),
      });
      if (!advanced.ok) throw new Error(`Failed to advance the mock's clock: ${advanced.status}`);
      // The store sweeps on its own timer (every 5 s) in slices; wait until it has emptied.
      const sweepStarted = performance.now();
      let left = (await request(child, 'size')).size;
      while (left > 0 && performance.now() - sweepStarted < 60_000) {
        await sleep(250);
        left = (await request(child, 'size')).size;
      }
      const sweepMs = performance.now() - sweepStarted;
      const loop = await request(child, 'delay-stop');
      const after = await request(child, 'memory');
      rounds.push({
        flooded: flooded.memory,
        after: after.memory,
        size: flooded.size,
        sizeAfter: after.size,
        capacityAfter: after.capacity,
        floodMs: sent.ms,
        statuses: sent.statuses,
        answered: sent.answered,
        sweepMs,
        loopMaxMs: loop.maxMs,
      });
    }
    return { mode: 'http', baseline, rounds };
  } finally {
    child.send('stop');
    await Promise.race([once(child, 'exit'), sleep(5_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

function report({ mode, baseline, rounds }) {
  const problems = [];
  console.log(`\n== ${mode}: ${KEYS.toLocaleString('en')} distinct keys per round, ${rounds.length} round(s)`);
  console.log(`  baseline            rss ${fmt(baseline.rss)}  heapUsed ${fmt(baseline.heapUsed)}  external ${fmt(baseline.external)}`);
  rounds.forEach((r, i) => {
    const grown = r.flooded.rss - baseline.rss;
    const left = r.after.rss - baseline.rss;
    const how =
      r.answered !== undefined
        ? `${r.answered.toLocaleString('en')} requests ${JSON.stringify(r.statuses)} in ${(r.floodMs / 1000).toFixed(1)} s, ${Math.round(r.answered / (r.floodMs / 1000)).toLocaleString('en')} req/s`
        : `inserted in ${(r.floodMs / 1000).toFixed(1)} s`;
    console.log(`  round ${i + 1}: ${how}`);
    const live = r.flooded.heapUsed + r.flooded.external - (baseline.heapUsed + baseline.external);
    console.log(
      `    after the flood   rss ${fmt(r.flooded.rss)} (+${fmt(grown)})  heapUsed ${fmt(r.flooded.heapUsed)}  external ${fmt(r.flooded.external)}  keys ${r.size.toLocaleString('en')}  (${Math.round(live / Math.max(1, r.size))} B of heap and buffers per key)`,
    );
    console.log(
      `    after expiry      rss ${fmt(r.after.rss)} (+${fmt(left)})  heapUsed ${fmt(r.after.heapUsed)}  external ${fmt(r.after.external)}  keys ${r.sizeAfter}  slots ${r.capacityAfter}`,
    );
    console.log(`    background sweep  ${(r.sweepMs / 1000).toFixed(1)} s to empty the store; worst event-loop delay meanwhile ${r.loopMaxMs.toFixed(1)} ms`);
    const liveLeft = r.after.heapUsed + r.after.external - (baseline.heapUsed + baseline.external);
    if (mb(grown) >= LIMIT_MB) problems.push(`${mode} round ${i + 1}: the flood cost ${fmt(grown)} ≥ ${LIMIT_MB} MB`);
    if (r.size !== Math.min(KEYS, 1_000_000)) problems.push(`${mode} round ${i + 1}: ${r.size} keys live after the flood, expected ${KEYS}`);
    if (r.sizeAfter !== 0) problems.push(`${mode} round ${i + 1}: ${r.sizeAfter} keys left after the windows passed`);
    if (mb(liveLeft) > 10) problems.push(`${mode} round ${i + 1}: ${fmt(liveLeft)} of heap and buffers still live after the windows passed`);
    const firstGrown = (rounds[0]?.flooded.rss ?? 0) - baseline.rss;
    if (i > 0 && grown > firstGrown * 1.1 + SLACK)
      problems.push(`${mode} round ${i + 1}: grew +${fmt(grown)}, over 10% (+16 MB) above round 1 (+${fmt(firstGrown)}): freed memory was not reused`);
  });
  return problems;
}

const problems = [];
if (MODE === 'store' || MODE === 'both') for (const algorithm of ALGORITHMS) problems.push(...report(await measureStore(algorithm)));
if (MODE === 'http' || MODE === 'both') problems.push(...report(await measureHttp()));
for (const p of problems) console.error(`memory-flood: FAIL ${p}`);
process.exitCode = problems.length > 0 ? 1 : 0;
