import { Agent, createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RateLimitContractError } from '../../core/errors.js';
import type { ProbeRequest, ProbeResponse } from '../conformance-check.js';
import { type ConformanceTarget, flattenHeaders } from './conformance-target.js';

/** An in-process target: an `http.Server` (listening or not) or a request listener such as an Express app. */
export type InProcessApp = Server | RequestListener;

interface SupertestRequest extends PromiseLike<{ status: number; headers: Record<string, string | string[]>; body: unknown }> {
  set(headers: Record<string, string>): SupertestRequest;
  send(body: string): SupertestRequest;
  agent(agent: Agent): SupertestRequest;
  ok(fn: () => boolean): SupertestRequest;
  buffer(on: boolean): SupertestRequest;
  parse(fn: (res: NodeJS.ReadableStream, done: (error: Error | null, body: string) => void) => void): SupertestRequest;
}
type Supertest = (server: Server) => Record<string, (path: string) => SupertestRequest>;

async function loadSupertest(): Promise<Supertest> {
  try {
    const module = (await import('supertest')) as unknown as { default: Supertest };
    return module.default;
  } catch {
    throw new RateLimitContractError(
      'ERR_RLC_TARGET',
      'Failed to load supertest: an in-process app or http.Server target needs it. Run `npm install -D supertest`, or pass the base URL of a running server as the target.',
    );
  }
}

/** Reads the whole body as text whatever its content type, so checks see exactly what was sent. */
const rawText = (res: NodeJS.ReadableStream, done: (error: Error | null, body: string) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
  res.on('error', (error: Error) => done(error, ''));
};

/**
 * A target that drives an in-process app through supertest (loaded only here, only when used). Supertest
 * binds the server to 127.0.0.1, so source addresses 127.0.0.x still act as distinct client IPs.
 */
export async function createSupertestTarget(app: InProcessApp, description = 'in-process app'): Promise<ConformanceTarget> {
  const supertest = await loadSupertest();
  const server = typeof app === 'function' ? createServer(app) : app;
  const address = server.address() as AddressInfo | null;
  const loopback = address === null || address.address === '::' || address.address === '0.0.0.0' || /^127\./.test(address.address);
  const agents = new Map<string, Agent>();
  const agentFor = (localAddress: string) => {
    let agent = agents.get(localAddress);
    if (!agent) {
      agent = new Agent({ localAddress });
      agents.set(localAddress, agent);
    }
    return agent;
  };
  return {
    description,
    loopback,
    async send(probe: ProbeRequest): Promise<ProbeResponse> {
      const method = probe.method.toLowerCase();
      const make = supertest(server)[method];
      if (!make) throw new Error(`supertest cannot send the method ${probe.method}`);
      let test = make(probe.path)
        .set(probe.headers)
        .ok(() => true)
        .buffer(true)
        .parse(rawText);
      if (probe.localAddress) test = test.agent(agentFor(probe.localAddress));
      if (probe.body !== undefined) test = test.send(probe.body);
      const res = await test;
      return { status: res.status, headers: flattenHeaders(res.headers), text: typeof res.body === 'string' ? res.body : '' };
    },
    async close() {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}
