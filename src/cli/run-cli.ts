import { isUserError } from '../core/errors.js';
import { runLintCommand } from './lint-command.js';
import { runMockCommand } from './mock-command.js';
import { runRenderCommand } from './render-command.js';

const HELP = `Usage: ratelimit-contract <command> [options]

Commands:
  mock       serve a rate-limited mock of an API (default: the ReconLayer profile on 127.0.0.1:3001)
  verify     run the conformance suite against a server and report per check
  lint       validate a spec and its x-rate-limit policy
  render     pre-render a spec's example responses with Prism
  check-log  judge a client's retries from an attempt log (a JSON file, or a running mock's)

Run \`ratelimit-contract <command> --help\` for a command's options.`;

/** Where the CLI reads and writes: the process's streams, env and signals in the bin, anything in a test. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Env vars the commands read (RATE_LIMIT_MAX, RATE_LIMIT_WINDOW, a spec's own). */
  env: Record<string, string | undefined>;
  /** Resolves, with the signal's name, when a long-running command (mock) must stop. */
  untilStopped(): Promise<string>;
}

type Command = (args: string[], out: (text: string) => void, io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  mock: async () => runMockCommand,
  lint: async () => runLintCommand,
  render: async () => runRenderCommand,
  verify: async () => (await import('./verify-command.js')).runVerifyCommand,
  'check-log': async () => (await import('./check-log-command.js')).runCheckLogCommand,
};

/**
 * Runs the CLI in process and returns the exit code: user mistakes print one line to `io.err` and return 2;
 * anything else is a bug and is thrown (the bin prints it and exits 70).
 * @example const code = await runCli(['lint', 'openapi/reconlayer.yaml'], io);
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(`${HELP}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    io.out(`${(createRequire(import.meta.url)('../../package.json') as { version: string }).version}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err(`ratelimit-contract: Failed to run "${name}": there is no such command. Run \`ratelimit-contract --help\` to list them.\n`);
    return 2;
  }
  try {
    return await (await load())(rest, io.out, io);
  } catch (error) {
    if (isUserError(error)) {
      io.err(`ratelimit-contract: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** What the bin prints for an error that is not a user's mistake (a bug), before exiting 70. */
export const formatInternalError = (error: unknown): string =>
  `ratelimit-contract: internal error: ${(error as Error).stack ?? String(error)}\nPlease report this as a bug.\n`;

/** The process's io: stdout (a closed stdout, e.g. `mock | head`, drops output instead of failing), stderr, env, SIGINT/SIGTERM. */
export function processIo(): CliIo {
  let stdoutOpen = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutOpen = false;
  });
  return {
    out: (text) => {
      if (stdoutOpen) process.stdout.write(text);
    },
    err: (text) => process.stderr.write(text),
    env: process.env,
    untilStopped: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      }),
  };
}
