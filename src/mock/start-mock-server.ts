import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BudgetStore } from '../core/budget-store.js';
import type { ControllableClock } from '../core/clock.js';
import { RateLimitContractError } from '../core/errors.js';
import type { RateLimitPolicy } from '../core/policy.js';
import type { MockServerOptions } from '../engine/engine-options.js';
import { internalError } from '../engine/error-responses.js';
import { loadEngine } from '../engine/load-engine.js';
import { createAttemptRecorder } from './attempt-recorder.js';
import { formatBanner } from './banner.js';
import { answerClientError } from './client-error.js';
import { checkControlToken, createTokenCheck } from './control-token.js';
import { drain } from './drain.js';
import { handleRequest, type MockRuntime } from './handle-request.js';
import { openStoreOption } from './open-store.js';
import { createBatchedWriter, formatLogEntry } from './request-log.js';
import { RequestObservers } from './request-observers.js';
import { DEFAULT_DRAIN_TIMEOUT_MS, DEFAULT_HEADERS_TIMEOUT_MS, httpServerTimeouts, readTimeoutOption } from './server-timeouts.js';

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
  /** Stops accepting connections, lets in-flight requests finish (up to `drainTimeoutMs`, then closes every connection), then resolves. */
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
  const headersTimeoutMs = readTimeoutOption(options.headersTimeoutMs, 'headersTimeoutMs', DEFAULT_HEADERS_TIMEOUT_MS);
  const drainTimeoutMs = readTimeoutOption(options.drainTimeoutMs, 'drainTimeoutMs', DEFAULT_DRAIN_TIMEOUT_MS);
  const { controlToken } = options;
  if (controlToken !== undefined) checkControlToken(controlToken, 'the controlToken option');
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const given = await openStoreOption(options.store, { prefix: options.storePrefix, fault: options.storeFault, log });
  const { engine } = await loadEngine({ ...options, store: given, env: options.env ?? process.env }).catch(async (error: unknown) => {
    // A store opened here from a URL is this call's to close; a store object stays its owner's.
    if (given !== options.store) await given?.close();
    throw error;
  });
  const { definition, policy, clock, store } = engine;
  const writer = options.log ? createBatchedWriter(options.log) : undefined;
  const observers = new RequestObservers();
  const runtime: MockRuntime = {
    engine,
    observers,
    control:
      options.control || controlToken !== undefined
        ? {
            engine,
            guard: { tokenMatches: controlToken === undefined ? undefined : createTokenCheck(controlToken) },
            observers,
            attempts: createAttemptRecorder(),
          }
        : undefined,
    log: writer ? (entry) => writer.line(formatLogEntry(entry)) : undefined,
  };
  const server = createServer(httpServerTimeouts(headersTimeoutMs), (req, res) => {
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
  server.on('clientError', answerClientError);
  const host = options.host ?? '127.0.0.1';
  const address = await listen(server, options.port ?? 0, host).catch(async (error: unknown) => {
    if (given !== options.store) await given?.close();
    throw error;
  });
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}`;
  const banner = formatBanner({
    url,
    title: definition.title,
    specFile: definition.source,
    policy,
    limitSource: definition.limitSource,
    trustProxy: options.trustProxy ?? false,
    control: { on: runtime.control !== undefined, token: controlToken !== undefined },
    operations: engine.operations,
    verdictOf: (path) => engine.classifyUrl(path).verdict,
    catalogFrom: definition.catalogFrom,
    readyMs: performance.now() - startedMs,
    store: given?.label ?? (given ? 'a custom store' : 'memory (this process; --store redis://host:port to share budgets between replicas)'),
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
      closing ??= drain(server, drainTimeoutMs).then(async () => {
        writer?.flush();
        await engine.close();
      });
      // Live streams (the dashboard's) never end on their own: end them, so that the drain can finish.
      observers.close();
      return closing;
    },
  };
}
