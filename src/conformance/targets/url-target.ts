import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { RateLimitContractError } from '../../core/errors.js';
import type { ProbeRequest, ProbeResponse } from '../conformance-check.js';
import { type ConformanceTarget, flattenHeaders } from './conformance-target.js';

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export interface UrlTargetOptions {
  /** Per-request timeout; default 10 s. */
  requestTimeoutMs?: number;
}

/** Reads a --target value; a one-line usage error names what is wrong with it. */
export function parseTargetUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RateLimitContractError(
      'ERR_RLC_USAGE',
      `Failed to read the target "${text}": it is not a URL. Pass the server's base URL, e.g. --target http://127.0.0.1:3001.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RateLimitContractError(
      'ERR_RLC_USAGE',
      `Failed to read the target "${text}": only http: and https: are supported. Pass e.g. --target http://127.0.0.1:3001.`,
    );
  }
  return url;
}

/**
 * A target reached with node:http(s), so that the request target reaches the server exactly as written
 * (fetch and `new URL` would resolve `/./x`, which is the point of a bypass probe). One keep-alive agent
 * per source address; a request that meets a socket the server closed while idle is retried once.
 */
export function createUrlTarget(baseUrl: string, options: UrlTargetOptions = {}): ConformanceTarget {
  const url = parseTargetUrl(baseUrl);
  const secure = url.protocol === 'https:';
  const basePath = url.pathname.replace(/\/+$/, '');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const agents = new Map<string, HttpAgent>();
  const agentFor = (localAddress: string | undefined) => {
    const name = localAddress ?? '';
    let agent = agents.get(name);
    if (!agent) {
      const agentOptions = { keepAlive: true, maxSockets: 4, localAddress };
      agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
      agents.set(name, agent);
    }
    return agent;
  };

  const once = (probe: ProbeRequest): Promise<ProbeResponse> =>
    new Promise((resolve, reject) => {
      const send = secure ? httpsRequest : httpRequest;
      const headers: Record<string, string> = { ...probe.headers };
      if (probe.body !== undefined) headers['content-length'] = String(Buffer.byteLength(probe.body));
      const req = send(
        { host, port, method: probe.method, path: `${basePath}${probe.path}`, headers, agent: agentFor(probe.localAddress) },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), text: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no response within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) => {
        (error as NodeJS.ErrnoException & { reusedSocket?: boolean }).reusedSocket = req.reusedSocket;
        reject(error);
      });
      req.end(probe.body);
    });

  return {
    description: `${url.origin}${basePath}`,
    loopback: !secure && IPV4_LOOPBACK.test(host),
    async send(probe) {
      try {
        return await once(probe);
      } catch (error) {
        const e = error as NodeJS.ErrnoException & { reusedSocket?: boolean };
        if (e.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) return once(probe);
        throw error;
      }
    },
    async close() {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}
