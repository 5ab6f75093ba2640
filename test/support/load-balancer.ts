import { Agent, createServer as createHttpServer, request } from 'node:http';
import { connect, createServer as createTcpServer, type Server, type Socket } from 'node:net';

/**
 * `l4`: per connection, raw TCP (as an AWS NLB or a Kubernetes Service): each client connection goes to the
 * next replica and stays there, and the replica sees the client's own address (loopback lets the balancer
 * connect from it, as a transparent balancer preserves the client IP). `l7`: per request, HTTP (as an ALB or
 * nginx): each request goes to the next replica over a keep-alive pool, with X-Forwarded-For set.
 */
export type BalancerMode = 'l4' | 'l7';

export interface Upstream {
  host: string;
  port: number;
}

export interface LoadBalancer {
  url: string;
  mode: BalancerMode;
  close(): Promise<void>;
}

const IPV4_LOOPBACK = /^(::ffff:)?(127\.\d+\.\d+\.\d+)$/;

function startL4(upstreams: Upstream[], sockets: Set<Socket>): Server {
  let next = 0;
  return createTcpServer((client) => {
    const target = upstreams[next++ % upstreams.length] as Upstream;
    const localAddress = IPV4_LOOPBACK.exec(client.remoteAddress ?? '')?.[2];
    const upstream = connect({ host: target.host, port: target.port, localAddress });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
}

function startL7(upstreams: Upstream[], sockets: Set<Socket>): { server: Server; agents: Agent[] } {
  let next = 0;
  const agents = upstreams.map(() => new Agent({ keepAlive: true, maxSockets: 64 }));
  const server = createHttpServer((req, res) => {
    const index = next++ % upstreams.length;
    const target = upstreams[index] as Upstream;
    const client = IPV4_LOOPBACK.exec(req.socket.remoteAddress ?? '')?.[2] ?? req.socket.remoteAddress ?? '';
    const { connection: _connection, 'keep-alive': _keepAlive, ...forwarded } = req.headers;
    const headers = { ...forwarded, 'x-forwarded-for': req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${client}` : client };
    const proxied = request({ host: target.host, port: target.port, method: req.method, path: req.url, headers, agent: agents[index] }, (answer) => {
      const { connection: _connection, 'keep-alive': _keepAlive, ...passed } = answer.headers;
      res.writeHead(answer.statusCode ?? 502, passed);
      answer.pipe(res);
    });
    proxied.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    req.pipe(proxied);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return { server, agents };
}

/** Starts a small balancer over `upstreams` on 127.0.0.1 and a free port. */
export async function startLoadBalancer(options: { mode: BalancerMode; upstreams: Upstream[] }): Promise<LoadBalancer> {
  const sockets = new Set<Socket>();
  const { server, agents } = options.mode === 'l4' ? { server: startL4(options.upstreams, sockets), agents: [] } : startL7(options.upstreams, sockets);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    mode: options.mode,
    close: () =>
      new Promise<void>((resolve) => {
        for (const agent of agents) agent.destroy();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
