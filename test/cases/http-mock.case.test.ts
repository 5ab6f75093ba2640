import { startMockServer } from '../../src/mock/index.js';
import { rawRequest } from '../support/raw-request.js';
import { runMultiLimitCases } from './multi-limit-cases.js';
import { type Backend, runRateLimitCases } from './rate-limit-cases.js';

/** The HTTP mock on a port: requests over real sockets, scripts and the virtual clock through the control API. */
const httpBackend: Backend = {
  name: 'HTTP mock',
  skip: {
    'pass with latency: the delay, on the backend clock': 'the mock delays in real time, and the suite never asserts wall-clock time',
  },
  async start(options) {
    const mock = await startMockServer({ ...options, env: {}, control: true });
    const control = async (path: string, body: unknown) => {
      const res = await rawRequest(mock.url, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${res.text}`);
    };
    await control('/__ratelimit/clock', { mode: 'virtual' });
    return {
      async send(request) {
        const res = await rawRequest(mock.url, { method: request.method ?? 'GET', path: request.path, headers: request.headers, body: request.body });
        return { status: res.status, headers: res.headers, text: res.text };
      },
      async script(match, steps) {
        const { method, path } = typeof match === 'string' ? parseMatch(match) : match;
        // One POST per step: scripts with the same match are used in order, as the steps of one script are.
        for (const step of steps) await control('/__ratelimit/faults', { ...step, method, path });
      },
      advance: (ms) => control('/__ratelimit/clock/advance', { ms }),
      close: () => mock.close(),
    };
  },
};

function parseMatch(match: string): { method?: string; path: string } {
  const [first = '*', second] = match.trim().split(/\s+/, 2);
  if (second !== undefined) return { method: first, path: second };
  return { path: first === '*' ? '/**' : first };
}

runRateLimitCases(httpBackend);
runMultiLimitCases(httpBackend);
