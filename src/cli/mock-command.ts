import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { BudgetStore } from '../core/budget-store.js';
import { readIpv6Subnet } from '../core/client-ip.js';
import { readDuration, requireDurationMs, requireWindowMs } from '../core/duration.js';
import { RateLimitContractError } from '../core/errors.js';
import { optionLabel } from '../core/option-names.js';
import type { Algorithm } from '../core/policy.js';
import type { MockServerOptions } from '../engine/engine-options.js';
import { checkControlToken } from '../mock/control-token.js';
import { DEFAULT_DRAIN_TIMEOUT_MS, MAX_TIMEOUT_MS } from '../mock/server-timeouts.js';
import { type MockServer, startMockServer } from '../mock/start-mock-server.js';
import type { ProfileName } from '../openapi/profiles.js';
import { parsePort, parsePositiveInt, usageError } from './cli-error.js';
import { isMockWorker, runWorkers, serveAsWorker } from './mock-workers.js';
import { parseFlags } from './parse-flags.js';
import type { CliIo } from './run-cli.js';
import { readSharedStoreFlags, STORE_ENV, STORE_HELP, startOnFlagStore } from './store-flags.js';

export const MOCK_HELP = `Usage: ratelimit-contract mock [--profile authmatech|reconlayer | --spec <file>] [options]

Serves every operation of the spec with Prism-rendered examples and enforces its x-rate-limit policy.

Options:
  --profile <name>       embedded API: authmatech or reconlayer (default: reconlayer)
  --spec <file>          your own OpenAPI 3.x file with an x-rate-limit extension
  --credentials <file>   credentials JSON (default: the profile's fixtures in mocks/)
  --port <n>             port (default 3001; 0 picks a free one)
  --host <addr>          address to bind (default 127.0.0.1)
  --limit <n>            requests per window (wins over RATE_LIMIT_MAX and the spec)
  --window <duration>    window with a unit: 10s, 1m, "1 minute", 1500ms (wins over RATE_LIMIT_WINDOW)
  --algorithm <name>     fixed-window (default), sliding-window or token-bucket
  --trust-proxy          key IP callers by X-Forwarded-For (ignored by default)
  --ipv6-subnet <bits>   key IPv6 callers by this prefix length, 1-128 (default 56)
  --emit-headers         add x-ratelimit-* and retry-after where the policy promises none
  --validate             validate requests against the spec with Prism (the spec's 400 or 422 on
                         violations, listed in the x-mock-reason header)
  --control              enable the test-control API at /__ratelimit (loopback callers only)
  --control-token <t>    enable it for any caller that sends x-ratelimit-control-token: <t>
                         (with either, open the live dashboard at <url>/__ratelimit/ui)
  --max-keys <n>         cap of budget keys kept in memory (LRU eviction; default 1000000)
  --headers-timeout <d>  answer 408 to a client that has not sent its request head by then (default 15s)
  --drain-timeout <d>    on SIGINT/SIGTERM, let in-flight requests finish for this long, then close every
                         connection (default 5s)
${STORE_HELP}
  --allow-external-refs  let the spec's $refs read files outside its directory and fetch URLs
  --quiet                no banner, no request log: one line \`listening <url>\` once ready
  --ready-file <path>    once ready, write the URL to <path> (removed again on exit)
  -h, --help             this help

Env: ${STORE_ENV} (as --store). When the spec declares them (e.g. ReconLayer): RATE_LIMIT_MAX, RATE_LIMIT_WINDOW. A bare number in
RATE_LIMIT_WINDOW is milliseconds, as @fastify/rate-limit reads it (a warning says so); --window needs a unit.
A spec of your own is rendered by Prism at its first start and cached in $XDG_CACHE_HOME/ratelimit-contract
(default ~/.cache/ratelimit-contract).
Stops on SIGINT/SIGTERM after in-flight requests finish (at most --drain-timeout); exit code 0.`;

/** `ratelimit-contract mock`: starts the server and keeps it up until a signal. */
export async function runMockCommand(args: string[], out: (text: string) => void, io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('mock', args, {
    profile: { type: 'string' },
    spec: { type: 'string' },
    credentials: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    limit: { type: 'string' },
    window: { type: 'string' },
    algorithm: { type: 'string' },
    'trust-proxy': { type: 'boolean' },
    'ipv6-subnet': { type: 'string' },
    'allow-external-refs': { type: 'boolean' },
    'emit-headers': { type: 'boolean' },
    validate: { type: 'boolean' },
    control: { type: 'boolean' },
    'control-token': { type: 'string' },
    'max-keys': { type: 'string' },
    'headers-timeout': { type: 'string' },
    'drain-timeout': { type: 'string' },
    store: { type: 'string' },
    'store-prefix': { type: 'string' },
    'store-fault': { type: 'string' },
    workers: { type: 'string' },
    quiet: { type: 'boolean' },
    'ready-file': { type: 'string' },
  });
  if (values.help) {
    out(`${MOCK_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) {
    throw usageError(
      `Failed to read the mock arguments: "${positionals[0]}" is not a flag (mock takes flags only). Pass e.g. --profile ${positionals[0]} or --spec ${positionals[0]}.`,
    );
  }
  if (values.host !== undefined && values.host.trim() === '') {
    throw usageError(
      'Failed to read --host: it is empty (node would listen on every interface). Pass --host 127.0.0.1 (the default), or 0.0.0.0 to listen on every interface on purpose.',
    );
  }
  if (values['control-token'] !== undefined) checkControlToken(values['control-token'], '--control-token');
  const readyFile = values['ready-file'];
  if (readyFile !== undefined && readyFile.trim() === '')
    throw usageError('Failed to read --ready-file: it is empty. Pass a file path, e.g. --ready-file .mock-url.');
  // A stale file from an earlier run must not hand a waiting script the wrong URL.
  if (readyFile !== undefined && !isMockWorker()) removeStaleReadyFile(readyFile);
  const quiet = values.quiet ?? false;
  const drainTimeoutMs = readTimeoutFlag(values['drain-timeout'], '--drain-timeout');
  // A bad window fails here, in the primary, before any worker is forked (the engine reads it again).
  if (values.window !== undefined) requireWindowMs(values.window, optionLabel('window', 'flags'));
  const options: MockServerOptions = {
    // The engine reads these once for every front end (an unknown profile or algorithm, a window without
    // a unit) and names them as flags.
    spelling: 'flags',
    profile: values.profile as ProfileName | undefined,
    spec: values.spec,
    credentials: values.credentials,
    port: parsePort(values.port, 3001),
    host: values.host,
    limit: parsePositiveInt(values.limit, '--limit'),
    window: values.window,
    algorithm: values.algorithm as Algorithm | undefined,
    trustProxy: values['trust-proxy'],
    ipv6Subnet: readIpv6Subnet(values['ipv6-subnet'], optionLabel('ipv6Subnet', 'flags')),
    allowExternalRefs: values['allow-external-refs'],
    emitHeaders: values['emit-headers'],
    validate: values.validate,
    control: values.control,
    controlToken: values['control-token'],
    maxKeys: parsePositiveInt(values['max-keys'], '--max-keys'),
    headersTimeoutMs: readTimeoutFlag(values['headers-timeout'], '--headers-timeout'),
    drainTimeoutMs,
    env: io.env,
    log: quiet ? undefined : out,
  };
  const shared = readSharedStoreFlags(values, io.env);
  const start = (store: BudgetStore | undefined) => startMockServer({ ...options, store, storeFault: shared.fault });
  if (isMockWorker() || shared.workers > 1) {
    const announce = async (url: string, banner: string) => {
      if (readyFile !== undefined) await writeReadyFile(url, readyFile, async () => undefined);
      out(quiet ? `listening ${url}\n` : `${banner}\n`);
      return () => (readyFile === undefined ? undefined : rmSync(readyFile, { force: true }));
    };
    const run = { args, flags: shared, start, announce, maxKeys: options.maxKeys, quiet, out, io };
    return isMockWorker() ? serveAsWorker(run) : runWorkers(run);
  }
  const mock = await startOnFlagStore(shared, start, (line) => io.err(`${line}\n`));
  if (values.window === undefined) warnOfBareWindow(mock, io.env, io.err);
  if (readyFile !== undefined) await writeReadyFile(mock.url, readyFile, () => mock.close());
  out(
    quiet
      ? `listening ${mock.url}
`
      : `${mock.banner}
`,
  );
  const signal = await io.untilStopped();
  if (!quiet)
    out(`received ${signal}: finishing in-flight requests (up to ${formatMs(drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS)}), then closing
`);
  if (readyFile !== undefined) rmSync(readyFile, { force: true });
  await mock.close().catch(() => undefined);
  return 0;
}

/** Reads --headers-timeout or --drain-timeout: a duration with a unit, at most an hour. */
function readTimeoutFlag(text: string | undefined, flag: '--headers-timeout' | '--drain-timeout'): number | undefined {
  if (text === undefined) return undefined;
  const option = flag === '--headers-timeout' ? 'headersTimeout' : 'drainTimeout';
  const ms = requireDurationMs(text, optionLabel(option, 'flags'), { unit: 'required' });
  if (ms > MAX_TIMEOUT_MS) throw usageError(`Failed to read ${flag}: "${text}" is longer than 1 hour. Pass e.g. ${flag} 10s.`);
  return ms;
}

const formatMs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${ms / 1000} s`);

/** RATE_LIMIT_WINDOW=60 is read as 60 ms, as the deployment's @fastify/rate-limit reads it; say so, since seconds were likely meant. */
function warnOfBareWindow(mock: MockServer, env: Record<string, string | undefined>, err: (text: string) => void): void {
  const name = mock.policy.env.window;
  const text = name ? env[name] : undefined;
  if (!name || !text) return;
  const reading = readDuration(text);
  if (!('ms' in reading) || !reading.bare) return;
  const n = text.trim();
  err(
    `ratelimit-contract: warning: ${name}=${text} has no unit, so the window is ${n} ms (a bare number is milliseconds, as @fastify/rate-limit reads it). Set ${name}=${n}s for seconds or ${name}=${n}ms to keep milliseconds and silence this.\n`,
  );
}

function removeStaleReadyFile(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw usageError(
      `Failed to read --ready-file ${file}: ${reason} (it must be a file the mock may replace). Pass the path of a file, e.g. --ready-file .mock-url.`,
    );
  }
}

/** Writes the URL atomically (a temporary file, then a rename), so a polling script never reads half a line. */
async function writeReadyFile(url: string, file: string, close: () => Promise<void>): Promise<void> {
  const partial = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(partial, `${url}\n`);
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    await close();
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new RateLimitContractError('ERR_RLC_USAGE', `Failed to write --ready-file ${file}: ${reason}. Pass a path in an existing, writable directory.`);
  }
}
