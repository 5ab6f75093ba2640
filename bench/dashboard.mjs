// node bench/dashboard.mjs: what the live dashboard costs the mock per request, without sockets for the
// requests themselves (as bench/handler.mjs: the server's request listener called with minimal request and
// response objects). Three mocks, their runs interleaved: control API off; control API on and nobody
// watching; control API on with one dashboard stream open, read by a real HTTP client. Requests go in
// chunks of 1,000 with a turn of the event loop between, so the stream's batching, JSON and socket writes
// fall inside the measured time. Prints the median of the runs in µs per request, and the spread.
import { request } from 'node:http';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const runs = Number(process.env.HANDLER_RUNS ?? 11);
const perRun = Number(process.env.HANDLER_REQUESTS ?? 200_000);
const CHUNK = 1_000;
const ACME = { authorization: 'Bearer rl_test_acme_primary' };
const { startMockServer } = await import(pathToFileURL(`${root}dist/mock/index.js`).href);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Opens the dashboard's stream and reads it; resolves with a counter of the bytes received. */
function watch(url) {
  const received = { bytes: 0, close: () => {} };
  return new Promise((resolve, reject) => {
    const req = request(`${url}/__ratelimit/events`, (res) => {
      res.on('data', (chunk) => {
        received.bytes += chunk.length;
      });
      received.close = () => req.destroy();
      resolve(received);
    });
    req.on('error', reject);
    req.end();
  });
}

async function prepare(name, options, watched) {
  const mock = await startMockServer({ profile: 'reconlayer', limit: 1_000_000_000, env: {}, port: 0, ...options });
  const stream = watched ? await watch(mock.url) : undefined;
  const handler = mock.server.listeners('request')[0];
  const res = { headersSent: false, statusCode: 200, writeHead: () => res, end() {}, destroy() {} };
  const req = { method: 'GET', url: '/v1/payment-intents', headers: ACME, socket: { remoteAddress: '127.0.0.1' } };
  for (let i = 0; i < 50_000; i++) handler(req, res);
  const run = async () => {
    const start = process.hrtime.bigint();
    for (let done = 0; done < perRun; done += CHUNK) {
      for (let i = 0; i < CHUNK; i++) handler(req, res);
      await turn();
    }
    return Number(process.hrtime.bigint() - start) / perRun / 1000;
  };
  return { name, mock, stream, run, results: [] };
}

console.log(`dashboard cost per request (µs), node ${process.version}, ${runs} interleaved runs × ${perRun} requests (limited GET, allowed)`);
const subjects = [
  await prepare('control off', {}, false),
  await prepare('control on, nobody watching', { control: true }, false),
  await prepare('control on, one stream open', { control: true }, true),
];
for (let r = 0; r < runs; r++) for (const s of subjects) s.results.push(await s.run());
for (const s of subjects) {
  const m = median(s.results);
  const streamed = s.stream ? `, stream received ${(s.stream.bytes / 1024 / 1024).toFixed(1)} MB` : '';
  console.log(`${s.name.padEnd(30)} ${m.toFixed(3)} µs median (min ${Math.min(...s.results).toFixed(3)}, max ${Math.max(...s.results).toFixed(3)})${streamed}`);
  s.stream?.close();
  await s.mock.close();
}
