import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { usageError } from './cli-error.js';

/**
 * Fails fast, in one line, when `--output` cannot be written: a directory, a missing folder, or one
 * without write permission. (The write itself still reports what goes wrong after this check.)
 */
export function requireWritableOutput(output: string): void {
  const fail = (reason: string) => usageError(`Failed to write the report to ${output}: ${reason}. Pass an --output path in a writable directory.`);
  const path = resolve(output);
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats?.isDirectory()) throw fail('it is a directory');
  const folder = dirname(path);
  const parent = statSync(folder, { throwIfNoEntry: false });
  if (!parent) throw fail(`the folder ${folder} does not exist`);
  if (!parent.isDirectory()) throw fail(`${folder} is not a folder`);
  try {
    accessSync(stats ? path : folder, constants.W_OK);
  } catch {
    throw fail(stats ? 'the file is not writable' : `the folder ${folder} is not writable`);
  }
}
