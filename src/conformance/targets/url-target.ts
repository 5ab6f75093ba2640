import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { RateLimitContractError } from '../../core/errors.js';
import { type OptionSpelling, optionLabel } from '../../core/option-names.js';
import type { ProbeRequest, ProbeResponse } from '../conformance-check.js';
import { type ConformanceTarget, flattenHeaders } from './conformance-target.js';
import { sendPipelined, serializeRequest } from './pipelined-connection.js';

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** A burst opens at most this many connections at once; a larger burst shares them (still all in flight together). */
const BURST_CONNECTIONS = 32;

export interface UrlTargetOptions {
  /** Per-request timeout; default 10 s. */
  requestTimeoutMs?: number;
  /** How errors name the target option: `--target` (the CLI) or the target option (the default). */
  spelling?: OptionSpelling;
}

/** Reads a target URL (`--target`, or the target option); a one-line usage error names what is wrong with it. */
export function parseTargetUrl(text: string, spelling: OptionSpelling = 'options'): URL {
  const target = optionLabel('target', spelling);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RateLimitContractError(
      'ERR_RLC_USAGE',
      `Failed to read the target "${text}": it is not a URL. Pass the server's base URL, e.g. ${target.pass('http://127.0.0.1:3001')}.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RateLimitContractError(
      'ERR_RLC_USAGE',
      `Failed to read the target "${text}": only http: and https: are supported. Pass e.g. ${target.pass('http://127.0.0.1:3001')}.`,
    );
  }
  return url;
}

/**
 * A target reached with node:http(s), so that the request target reaches the server exactly as written
 * (fetch and `new URL` would resolve `/./x`, which is the point of a bypass probe). One keep-alive agent
 * per source address (and one per numbered socket a check asks for); a request that meets a socket the
 * server closed while idle is retried once. `connection: 'fresh'` requests get a connection of their own.
 */
export function createUrlTarget(baseUrl: string, options: UrlTargetOptions = {}): ConformanceTarget {
  const url = parseTargetUrl(baseUrl, options.spelling);
  const secure = url.protocol === 'https:';
  const basePath = url.pathname.replace(/\/+$/, '');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const agents = new Map<string, HttpAgent>();
  const open = new Set<Socket>();
  const agentFor = (localAddress: string | undefined, socket: number | undefined) => {
    const name = `${localAddress ?? ''}#${socket ?? 0}`;
    let agent = agents.get(name);
    if (!agent) {
      const agentOptions = { keepAlive: true, maxSockets: socket === undefined ? 4 : 1, localAddress };
      agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
      agents.set(name, agent);
    }
    return agent;
  };
  /** A new connection, tracked so that close() can end it. */
  const connectFresh = (localAddress: string | undefined): Socket => {
    const tcp = netConnect({ host, port, localAddress });
    const socket = secure ? tlsConnect({ socket: tcp, servername: host }) : tcp;
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    return socket;
  };

  /** A keep-alive agent whose first connection is `socket`, already open (a burst lane). */
  const laneAgent = (socket: Socket, localAddress: string | undefined): HttpAgent => {
    const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: 1 }) : new HttpAgent({ keepAlive: true, maxSockets: 1 });
    let first: Socket | undefined = socket;
    (agent as unknown as { createConnection: () => Socket }).createConnection = () => {
      const next = first ?? connectFresh(localAddress);
      first = undefined;
      return next;
    };
    return agent;
  };

  /** The request as bytes on the wire, for pipelining (keep-alive: no connection header). */
  const wire = (probe: ProbeRequest) => serializeRequest({ ...probe, headers: { ...probe.headers } }, url.host, `${basePath}${probe.path}`);

  const once = (probe: ProbeRequest, socket?: Socket, agent?: HttpAgent): Promise<ProbeResponse> =>
    new Promise((resolve, reject) => {
      const send = secure ? httpsRequest : httpRequest;
      const headers: Record<string, string> = { ...probe.headers };
      if (probe.body !== undefined) headers['content-length'] = String(Buffer.byteLength(probe.body));
      const fresh = probe.connection === 'fresh';
      if (fresh) headers.connection = 'close';
      const via = socket
        ? { createConnection: () => socket }
        : agent
          ? { agent }
          : fresh
            ? { createConnection: () => connectFresh(probe.localAddress) }
            : { agent: agentFor(probe.localAddress, typeof probe.connection === 'number' ? probe.connection : undefined) };
      const req = send({ host, port, method: probe.method, path: `${basePath}${probe.path}`, headers, ...via }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), text: Buffer.concat(chunks).toString('utf8') }));
      });
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no response within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) => {
        (error as NodeJS.ErrnoException & { reusedSocket?: boolean }).reusedSocket = req.reusedSocket;
        reject(error);
      });
      req.end(probe.body);
    });

  const sendOne = async (probe: ProbeRequest): Promise<ProbeResponse> => {
    try {
      return await once(probe);
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { reusedSocket?: boolean };
      if (e.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) return once(probe);
      throw error;
    }
  };

  return {
    description: `${url.origin}${basePath}`,
    loopback: !secure && IPV4_LOOPBACK.test(host),
    send: sendOne,
    async sendSequence(probes) {
      if (probes.length === 0) return [];
      const socket = connectFresh(probes[0]?.localAddress);
      await new Promise<void>((resolve, reject) => {
        socket.once(secure ? 'secureConnect' : 'connect', () => resolve());
        socket.once('error', reject);
      });
      const answered = await sendPipelined(socket, probes.map(wire));
      socket.end();
      const rest: ProbeResponse[] = [];
      for (const probe of probes.slice(answered.length)) rest.push(await sendOne(probe));
      return [...answered, ...rest];
    },
    async prepareBurst(probes, burstOptions = {}) {
      // At most BURST_CONNECTIONS connections, opened first; each then carries its share one after another.
      const lanes = Math.min(probes.length, BURST_CONNECTIONS);
      const sockets = Array.from({ length: lanes }, (_, i) => connectFresh(probes[i]?.localAddress));
      const ready = sockets.map(
        (socket) =>
          new Promise<void>((resolve, reject) => {
            socket.once(secure ? 'secureConnect' : 'connect', () => resolve());
            socket.once('error', reject);
          }),
      );
      try {
        await Promise.all(ready);
      } catch (error) {
        for (const socket of sockets) socket.destroy();
        throw error;
      }
      return async () => {
        const settled: Array<PromiseSettledResult<ProbeResponse>> = new Array(probes.length);
        await Promise.all(
          sockets.map(async (socket, lane) => {
            const mine = probes.map((_, i) => i).filter((i) => i % lanes === lane);
            if (burstOptions.pipelined) {
              const answered = await sendPipelined(
                socket,
                mine.map((i) => wire(probes[i] as ProbeRequest)),
              ).catch(() => []);
              for (const [j, response] of answered.entries()) settled[mine[j] as number] = { status: 'fulfilled', value: response };
              socket.end();
              mine.splice(0, answered.length);
            }
            if (mine.length === 0) return;
            const agent = laneAgent(burstOptions.pipelined ? connectFresh(probes[lane]?.localAddress) : socket, probes[lane]?.localAddress);
            for (const i of mine) {
              settled[i] = await once({ ...(probes[i] as ProbeRequest), connection: undefined }, undefined, agent).then(
                (value) => ({ status: 'fulfilled' as const, value }),
                (reason: unknown) => ({ status: 'rejected' as const, reason }),
              );
            }
            agent.destroy();
          }),
        );
        return settled;
      };
    },
    async close() {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
      for (const socket of open) socket.destroy();
      open.clear();
    },
  };
}
