import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './cli-error.js';

/** Parses flags strictly; an unknown or malformed flag is a one-line usage error that points at --help. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0]?.replace(/\.$/, '');
    throw usageError(`Failed to read the ${command} flags: ${reason}. Run \`ratelimit-contract ${command} --help\`.`);
  }
}
