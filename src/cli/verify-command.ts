import { usageError } from './cli-error.js';

/** Placeholder until the conformance suite lands: fails as a usage error rather than pretending. */
export async function runVerifyCommand(_args: string[], _out: (text: string) => void): Promise<number> {
  throw usageError('Failed to run verify: the conformance suite is not built yet.');
}
