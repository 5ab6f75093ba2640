import { RateLimitContractError } from '../core/errors.js';

/** A usage mistake on the command line: printed as one line, exit code 2. */
export const usageError = (message: string) => new RateLimitContractError('ERR_RLC_USAGE', message);

/** Reads a port flag: a whole number 0–65535. */
export function parsePort(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
    throw usageError(`Failed to read --port: "${text}" is not a port. Pass a whole number from 0 to 65535 (0 picks a free port).`);
  return Number(text);
}

/** Reads a positive whole number flag, e.g. --limit. */
export function parsePositiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw usageError(`Failed to read ${flag}: "${text}" is not a positive whole number. Pass e.g. ${flag} 300.`);
  return Number(text);
}
