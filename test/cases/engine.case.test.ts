import { loadEngine } from '../../src/engine/load-engine.js';
import { runMultiLimitCases } from './multi-limit-cases.js';
import { type Backend, type CaseResponse, runRateLimitCases } from './rate-limit-cases.js';

/** The engine in process: calls go straight to respond(), replies are read as they come out; time is frozen and moved by hand. */
const engineBackend: Backend = {
  name: 'engine',
  async start(options) {
    const { engine } = await loadEngine({ ...options, env: {} });
    engine.clock.freeze();
    return {
      async send(request): Promise<CaseResponse> {
        const reply = await engine.respond({
          method: request.method ?? 'GET',
          url: request.path,
          headers: { ...request.headers },
          clientAddress: '127.0.0.1',
          body: new TextEncoder().encode(request.body ?? ''),
        });
        const flat = reply.headers.concat(reply.response.headers);
        const headers: Record<string, string> = {};
        for (let i = 0; i < flat.length; i += 2) headers[(flat[i] as string).toLowerCase()] = flat[i + 1] as string;
        return { status: reply.response.status, headers, text: reply.response.body, latencyMs: reply.latencyMs };
      },
      async script(match, steps) {
        engine.scripts.add(match, steps);
      },
      async advance(ms) {
        engine.clock.advance(ms);
      },
      close: () => engine.close(),
    };
  },
};

runRateLimitCases(engineBackend);
runMultiLimitCases(engineBackend);
