import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BudgetStore } from '../core/budget-store.js';
import { type ControllableClock, createControllableClock } from '../core/clock.js';
import { RateLimitContractError } from '../core/errors.js';
import { createKeyResolver } from '../core/key-resolver.js';
import { createLimiter } from '../core/limiter.js';
import type { RateLimitPolicy } from '../core/policy.js';
import { buildPrincipalIndex } from '../core/principal-index.js';
import { headerNameSet } from '../core/rate-limit-headers.js';
import { createRejectionBody } from '../core/rejection-body.js';
import { parseRequestTarget } from '../core/request-target.js';
import { createScopeClassifier } from '../core/scope.js';
import { loadCatalog } from '../render/load-catalog.js';
import { createPrismValidator } from '../render/validate-with-prism.js';
import { createMemoryStore } from '../store/memory-store.js';
import { createAuthenticator } from './authenticate.js';
import { formatBanner } from './banner.js';
import { internalError } from './error-responses.js';
import { createFaultQueue } from './faults.js';
import { handleRequest, type MockRuntime } from './handle-request.js';
import { createIdempotencyStore } from './idempotency.js';
import type { MockServerOptions } from './mock-options.js';
import { prepareOperations } from './prepared-responses.js';
import { createBatchedWriter, formatLogEntry } from './request-log.js';
import { resolveMockConfig } from './resolve-mock-config.js';
import { createRouter } from './router.js';
import { createTargetCache } from './target-cache.js';

/** A running mock. */
export interface MockServer {
  /** e.g. http://127.0.0.1:3001 */
  url: string;
  port: number;
  policy: RateLimitPolicy;
  /** The budget clock: freeze and advance it from a test instead of waiting. */
  clock: ControllableClock;
  store: BudgetStore;
  banner: string;
  server: Server;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === 'EADDRINUSE'
          ? 'the port is already in use. Pass --port with a free port, or --port 0 for any free one'
          : error.code === 'EACCES'
            ? 'permission denied. Use a port above 1023'
            : error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
              ? `--host "${host}" is not a host name or IP address. Pass --host 127.0.0.1 (the default) or another address of this machine`
              : error.code === 'EADDRNOTAVAIL'
                ? `--host ${host} is not an address of this machine. Pass --host 127.0.0.1 (the default), or 0.0.0.0 for every interface`
                : `${error.code ?? error.message}. Check --host and --port`;
      reject(new RateLimitContractError('ERR_RLC_LISTEN', `Failed to listen on ${host}:${port}: ${hint}.`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Starts the mock server for a profile or spec and resolves once it listens.
 * @example const mock = await startMockServer({ profile: 'reconlayer', limit: 5, control: true }); await mock.close();
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const startedMs = performance.now();
  const config = resolveMockConfig(options);
  const { policy } = config;
  let catalog: Awaited<ReturnType<typeof loadCatalog>>;
  try {
    catalog = await loadCatalog(config.spec, config.responsesFixture);
  } catch (error) {
    if (error instanceof RateLimitContractError) throw error;
    throw new RateLimitContractError(
      'ERR_RLC_SPEC_INVALID',
      `Failed to render responses for ${config.spec.source}: ${(error as Error).message.split('\n')[0]}. Run \`ratelimit-contract lint ${config.spec.source}\` to find the problem.`,
    );
  }
  const operations = prepareOperations(catalog.catalog.operations, headerNameSet(policy.headers));
  const clock = createControllableClock(options.clock);
  const store = options.store ?? createMemoryStore({ clock, maxKeys: options.maxKeys });
  const limiter = createLimiter(policy, store, clock);
  const classify = createScopeClassifier(policy);
  const principals = config.credentials ? buildPrincipalIndex(policy.key, config.credentials) : undefined;
  const idempotency = createIdempotencyStore();
  const faults = createFaultQueue();
  const writer = options.log ? createBatchedWriter(options.log) : undefined;
  const runtime: MockRuntime = {
    policy,
    classifyUrl: createTargetCache(classify),
    resolveKey: createKeyResolver(policy.key, { principals, trustProxy: options.trustProxy, ipv6Subnet: options.ipv6Subnet }),
    limiter,
    rejectionBody: createRejectionBody(policy),
    route: createRouter(operations),
    authenticate: createAuthenticator(config.credentials),
    idempotency,
    faults,
    control:
      options.control || options.controlToken
        ? { policy, limiter, store, clock, faults, resetIdempotency: idempotency.clear, token: options.controlToken }
        : undefined,
    validate: options.validate ? await createPrismValidator(config.spec) : undefined,
    log: writer ? (entry) => writer.line(formatLogEntry(entry)) : undefined,
  };
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 15_000, keepAliveTimeout: 5_000 }, (req, res) => {
    const fail = (error: unknown) => {
      writer?.line(`mock error on ${req.method} ${req.url}: ${(error as Error).message}`);
      if (!res.headersSent) {
        const response = internalError();
        res.writeHead(response.status, response.headers);
        res.end(response.body);
      } else res.destroy();
    };
    try {
      handleRequest(runtime, req, res)?.catch(fail);
    } catch (error) {
      fail(error);
    }
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // As node's default handler: answer only a connection that has sent nothing yet, so no stray bytes
    // follow a response that said `connection: close` (clients fail with "Data after Connection: close").
    const untouched = (socket as { bytesWritten?: number }).bytesWritten === 0;
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable && !socket.writableEnded && untouched) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });
  const host = options.host ?? '127.0.0.1';
  const address = await listen(server, options.port ?? 0, host);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}`;
  const info = config.spec.document.info as { title?: string; version?: string } | undefined;
  const banner = formatBanner({
    url,
    title: `${info?.title ?? 'API'} ${info?.version ?? ''}`.trim(),
    specFile: config.spec.source,
    policy,
    limitSource: config.limitSource,
    trustProxy: options.trustProxy ?? false,
    control: { on: runtime.control !== undefined, token: options.controlToken !== undefined },
    operations,
    verdictOf: (path) => classify(parseRequestTarget(path)),
    catalogFrom: catalog.from,
    readyMs: performance.now() - startedMs,
  });
  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    policy,
    clock,
    store,
    banner,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }).then(async () => {
        writer?.flush();
        await store.close();
      });
      return closing;
    },
  };
}
