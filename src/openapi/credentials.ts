import { RateLimitContractError } from '../core/errors.js';
import { type OptionSpelling, optionLabel } from '../core/option-names.js';
import { BoundedReadError, readBoundedFileSync } from './read-bounded-file.js';

/** Largest credentials file read. */
const MAX_CREDENTIALS_BYTES = 4 * 1024 * 1024;

/** A set of request headers that authenticates as one principal (organization, client…). */
export type Credential = Record<string, string>;

/** The credentials file: principals, each with one or more credentials (see README "Credentials file"). */
export interface CredentialsFile {
  principals: Array<{ id: string; credentials: Credential[] }>;
}

/** Checks the shape of a parsed credentials file; the message names the JSON pointer at fault. */
export function validateCredentials(value: unknown, source: string): CredentialsFile {
  const fail = (pointer: string, what: string): never => {
    throw new RateLimitContractError(
      'ERR_RLC_CREDENTIALS',
      `Failed to load the credentials ${source}#${pointer}: ${what}. The file is {"principals":[{"id":"org_a","credentials":[{"authorization":"Bearer …"}]}]}.`,
    );
  };
  if (typeof value !== 'object' || value === null || !Array.isArray((value as CredentialsFile).principals)) fail('/principals', 'expected an array');
  const principals = (value as CredentialsFile).principals;
  principals.forEach((principal, i) => {
    if (typeof principal?.id !== 'string' || principal.id === '') fail(`/principals/${i}/id`, 'expected a non-empty string');
    if (!Array.isArray(principal.credentials) || principal.credentials.length === 0) fail(`/principals/${i}/credentials`, 'expected a non-empty array');
    principal.credentials.forEach((credential, j) => {
      if (typeof credential !== 'object' || credential === null || Array.isArray(credential))
        fail(`/principals/${i}/credentials/${j}`, 'expected an object of header names to values');
      for (const [name, headerValue] of Object.entries(credential)) {
        if (typeof headerValue !== 'string') fail(`/principals/${i}/credentials/${j}/${name}`, 'expected a string header value');
      }
    });
  });
  return {
    principals: principals.map((p) => ({
      id: p.id,
      credentials: p.credentials.map((c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k.toLowerCase(), v]))),
    })),
  };
}

/** Reads and validates a credentials JSON file; `spelling` words the fix for the front end that named it. */
export function loadCredentials(file: string, spelling?: OptionSpelling): CredentialsFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readBoundedFileSync(file, MAX_CREDENTIALS_BYTES));
  } catch (error) {
    const reason = error instanceof BoundedReadError ? error.reason : (error as Error).message.split('\n')[0];
    throw new RateLimitContractError(
      'ERR_RLC_CREDENTIALS',
      `Failed to read the credentials ${file}: ${reason}. Pass ${optionLabel('credentials', spelling).name} with a JSON file as the README's "Credentials file" section shows (a relative path is read from the working directory).`,
    );
  }
  return validateCredentials(parsed, file);
}
