#!/usr/bin/env node
// The bin: the CLI on the process's streams, env and signals. Everything else is runCli, callable in process.
import { formatInternalError, processIo, runCli } from './run-cli.js';

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(formatInternalError(error));
    process.exitCode = 70;
  },
);
