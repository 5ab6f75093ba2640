import { parseArgs } from 'node:util';
import { usageError } from './cli-error.js';

/** A flag declaration, as node:util parseArgs takes it. */
export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Parsed flag values: strings for string flags, booleans for boolean flags, plus `help`. */
export type FlagValues<T extends FlagSpec> = { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string } & { help?: boolean };

/** Parses flags strictly; an unknown or malformed flag is a one-line usage error that points at --help. */
export function parseFlags<T extends FlagSpec>(command: string, args: string[], options: T): { values: FlagValues<T>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: parsed.values as FlagValues<T>, positionals: parsed.positionals };
  } catch (error) {
    // node's message may span lines (e.g. "--port -1": ambiguous, then how to pass a dash value): keep it all on one.
    const reason = (error as Error).message
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .join(' ')
      .replace(/\.$/, '');
    throw usageError(`Failed to read the ${command} flags: ${reason}. Run \`ratelimit-contract ${command} --help\`.`);
  }
}
