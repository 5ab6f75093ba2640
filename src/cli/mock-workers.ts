import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { BudgetStore } from '../core/budget-store.js';
import { isUserError } from '../core/errors.js';
import type { MockServer } from '../mock/start-mock-server.js';
import { createIpcHost, type IpcHost } from '../store/ipc-host.js';
import { isCallsMessage } from '../store/ipc-protocol.js';
import { createIpcStore, ipcChannelOfProcess } from '../store/ipc-store.js';
import type { CliIo } from './run-cli.js';
import { openFlagStore, type SharedStoreFlags } from './store-flags.js';

/** Marks a process forked by `mock --workers` (its number, from 1). */
const WORKER_ENV = 'RATELIMIT_CONTRACT_WORKER';

/** What a worker tells its primary. */
type WorkerNews = { rlc: 'ready'; url: string; banner: string } | { rlc: 'failed'; message: string };

/** Whether this process is a worker of `mock --workers`. */
export const isMockWorker = (): boolean => cluster.isWorker && process.env[WORKER_ENV] !== undefined;

export interface WorkersRun {
  /** The mock's arguments (after `mock`), which each worker runs again. */
  args: string[];
  flags: SharedStoreFlags;
  start: (store: BudgetStore | undefined) => Promise<MockServer>;
  /** Writes the ready file, prints the banner or `listening <url>`; returns what to undo on exit. */
  announce: (url: string, banner: string) => Promise<() => void>;
  maxKeys: number | undefined;
  quiet: boolean;
  out: (text: string) => void;
  io: CliIo;
}

/**
 * A worker: serves the mock on the shared port, with its budgets in Redis (--store) or in the primary
 * (over IPC), tells the primary it is ready (or why it could not start), and stops when told, on a signal,
 * or when the primary is gone.
 */
export async function serveAsWorker(run: WorkersRun): Promise<number> {
  const send = (news: WorkerNews) => process.send?.(news);
  let mock: MockServer;
  try {
    const store = run.flags.store ? await openFlagStore(run.flags, (line) => run.io.err(`${line}\n`)) : createIpcStore(ipcChannelOfProcess());
    mock = await run.start(store).catch(async (error: unknown) => {
      await store?.close();
      throw error;
    });
  } catch (error) {
    if (!isUserError(error)) throw error;
    send({ rlc: 'failed', message: error.message });
    return 2;
  }
  send({ rlc: 'ready', url: mock.url, banner: mock.banner });
  await new Promise<void>((resolve) => {
    process.on('message', (message: { rlc?: string }) => {
      if (message?.rlc === 'stop') resolve();
    });
    process.once('disconnect', () => resolve());
    void run.io.untilStopped().then(() => resolve());
  });
  await mock.close().catch(() => undefined);
  process.disconnect?.();
  return 0;
}

/** Forks a worker that runs `mock <args>` again, marked as worker number `n`. */
function fork(run: WorkersRun, n: number): Worker {
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./main.js', import.meta.url)), args: ['mock', ...run.args] });
  return cluster.fork({ [WORKER_ENV]: String(n) });
}

/** Connects a worker to the primary's store, and reports its news. */
function attach(worker: Worker, host: IpcHost | undefined, onNews: (news: WorkerNews) => void): void {
  worker.on('message', (message: unknown) => {
    if (isCallsMessage(message)) {
      host?.handle(message, (answers) => {
        if (worker.isConnected()) worker.send(answers);
      });
    } else if (typeof message === 'object' && message !== null && 'rlc' in message) onNews(message as WorkerNews);
  });
}

/**
 * The primary of `mock --workers n`: forks n workers that share the port (node:cluster hands them the
 * connections), holds their budgets, clock and idempotency records when there is no Redis, prints one
 * banner once all are ready, replaces a worker that dies, and stops them all on SIGINT/SIGTERM. A worker
 * that cannot start (a spec error, Redis unreachable) stops the rest: its reason is printed once, exit 2.
 */
export async function runWorkers(run: WorkersRun): Promise<number> {
  const host = run.flags.store ? undefined : createIpcHost({ maxKeys: run.maxKeys });
  const count = run.flags.workers;
  const workers = new Map<number, Worker>();
  let stopping = false;
  let started = false;
  let failure: ((message: string) => void) | undefined;
  let readyCount = 0;
  let onReady: ((url: string, banner: string) => void) | undefined;

  const launch = (n: number) => {
    const worker = fork(run, n);
    workers.set(n, worker);
    attach(worker, host, (news) => {
      if (news.rlc === 'failed') failure?.(news.message);
      else onReady?.(news.url, news.banner);
    });
    worker.on('exit', (code, signal) => {
      if (workers.get(n) === worker) workers.delete(n);
      if (stopping) return;
      if (!started) {
        failure?.(`Failed to start worker ${n}: it exited with ${signal ?? `code ${code}`} before it was ready. Run without --workers to see why.`);
        return;
      }
      run.io.err(`ratelimit-contract: worker ${n} (pid ${worker.process.pid}) exited with ${signal ?? `code ${code}`}; starting another\n`);
      launch(n);
    });
  };

  const stopAll = async () => {
    stopping = true;
    const exits = [...workers.values()].map((worker) => new Promise<void>((resolve) => (worker.isDead() ? resolve() : worker.once('exit', () => resolve()))));
    for (const worker of workers.values()) {
      try {
        worker.send({ rlc: 'stop' });
      } catch {
        worker.kill('SIGTERM');
      }
    }
    const deadline = setTimeout(() => {
      for (const worker of workers.values()) worker.kill('SIGKILL');
    }, 15_000);
    await Promise.all(exits);
    clearTimeout(deadline);
    await host?.close();
  };

  const ready = new Promise<{ url: string; banner: string } | { failed: string }>((resolve) => {
    failure = (message) => resolve({ failed: message });
    onReady = (url, banner) => {
      readyCount += 1;
      if (readyCount === count) resolve({ url, banner });
    };
  });
  for (let n = 1; n <= count; n += 1) launch(n);
  const outcome = await ready;
  failure = undefined;
  if ('failed' in outcome) {
    await stopAll();
    run.io.err(`ratelimit-contract: ${outcome.failed}\n`);
    return 2;
  }
  started = true;
  onReady = undefined;
  const pids = [...workers.values()].map((w) => w.process.pid).join(', ');
  const banner = outcome.banner.replace(/^( {2}listening .*)$/m, `$1\n  workers     ${count} processes on one port (node:cluster; pids ${pids})`);
  const undo = await run.announce(outcome.url, banner);
  const signal = await run.io.untilStopped();
  if (!run.quiet) run.out(`received ${signal}: stopping ${count} workers after their in-flight requests\n`);
  await stopAll();
  undo();
  return 0;
}
