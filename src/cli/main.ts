#!/usr/bin/env node
import { isUserError } from '../core/errors.js';
import { runLintCommand } from './lint-command.js';
import { runMockCommand } from './mock-command.js';
import { runRenderCommand } from './render-command.js';

const HELP = `Usage: ratelimit-contract <command> [options]

Commands:
  mock     serve a rate-limited mock of an API (default: the ReconLayer profile on 127.0.0.1:3001)
  verify   run the conformance suite against a server and report per check
  lint     validate a spec and its x-rate-limit policy
  render   pre-render a spec's example responses with Prism

Run \`ratelimit-contract <command> --help\` for a command's options.`;

type Command = (args: string[], out: (text: string) => void) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  mock: async () => runMockCommand,
  lint: async () => runLintCommand,
  render: async () => runRenderCommand,
  verify: async () => (await import('./verify-command.js')).runVerifyCommand,
};

/** Runs the CLI; returns the exit code. User mistakes print one line to stderr and return 2. */
export async function main(argv: string[]): Promise<number> {
  // A closed stdout (e.g. `ratelimit-contract mock | head`) must not take a running mock down: drop output instead.
  let stdoutOpen = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutOpen = false;
  });
  const out = (text: string) => {
    if (stdoutOpen) process.stdout.write(text);
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(`${HELP}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    out(`${(createRequire(import.meta.url)('../../package.json') as { version: string }).version}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`ratelimit-contract: Failed to run "${name}": there is no such command. Run \`ratelimit-contract --help\` to list them.\n`);
    return 2;
  }
  try {
    return await (await load())(rest, out);
  } catch (error) {
    if (isUserError(error)) {
      process.stderr.write(`ratelimit-contract: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ratelimit-contract: internal error: ${(error as Error).stack ?? String(error)}\nPlease report this as a bug.\n`);
    process.exitCode = 70;
  },
);
