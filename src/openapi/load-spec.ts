import { RateLimitContractError } from '../core/errors.js';
import { type OptionSpelling, optionLabel } from '../core/option-names.js';
import { DocumentParseError, parseDocument } from './parse-document.js';
import { PROFILE_NAMES } from './profiles.js';
import { BoundedReadError, readBoundedFileSync } from './read-bounded-file.js';

/** How a spec's external `$ref`s may be read (see spec-refs.ts). */
export interface SpecLoadOptions {
  /**
   * Also follow `$ref`s to files outside the spec's directory and to http(s) URLs (`--allow-external-refs`).
   * Off by default: a spec reads no network and no file outside its own directory tree.
   */
  allowExternalRefs?: boolean;
  /** How errors name the options that chose this spec: `flags` for the CLI, `options` (the default) in code. */
  spelling?: OptionSpelling;
}

/** An OpenAPI document as read from disk, with the path it came from (named in every error). */
export interface LoadedSpec {
  source: string;
  document: Record<string, unknown>;
  /** The raw text; with the texts of everything it references, it keys the render cache. */
  text: string;
  /** Whether its external `$ref`s may leave its directory tree (off unless the caller opted in). */
  allowExternalRefs?: boolean;
  /** How errors about it name options (e.g. `allowExternalRefs`); `options` when absent. */
  spelling?: OptionSpelling;
}

/** How to point at a spec: the spec option or flag (or a profile) when a front end chose the file, else just its path (lint, render). */
function howToChooseSpec(spelling: OptionSpelling | undefined): string {
  const what = 'the path of an OpenAPI 3.x YAML or JSON file (a relative path is read from the working directory)';
  if (spelling === undefined) return `Pass ${what}`;
  return `Pass ${optionLabel('spec', spelling).name} with ${what}, or use ${optionLabel('profile', spelling).passOneOf(PROFILE_NAMES)}`;
}

/**
 * Reads a YAML or JSON OpenAPI document; one-line errors name the file and what to do. Only a regular
 * file of at most 16 MiB is read, and YAML aliases may not expand it past a million extra nodes.
 * External `$ref`s are not followed here; resolveSpecRefs does that, under the spec's ref policy.
 */
export function loadSpec(file: string, options: SpecLoadOptions = {}): LoadedSpec {
  let text: string;
  try {
    text = readBoundedFileSync(file);
  } catch (error) {
    const reason = error instanceof BoundedReadError ? error.reason : (error as Error).message;
    throw new RateLimitContractError('ERR_RLC_SPEC_READ', `Failed to read the spec ${file}: ${reason}. ${howToChooseSpec(options.spelling)}.`);
  }
  let document: unknown;
  try {
    document = parseDocument(text, { json: file.endsWith('.json') });
  } catch (error) {
    if (!(error instanceof DocumentParseError)) throw error;
    throw new RateLimitContractError('ERR_RLC_SPEC_INVALID', `Failed to parse the spec ${file}: ${error.message}. ${error.fix}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new RateLimitContractError(
      'ERR_RLC_SPEC_INVALID',
      `Failed to load the spec ${file}: the document is not an object. It must be an OpenAPI 3.x document with "openapi" and "paths".`,
    );
  }
  const record = document as Record<string, unknown>;
  if (typeof record.openapi !== 'string' || !record.openapi.startsWith('3.')) {
    throw new RateLimitContractError(
      'ERR_RLC_SPEC_INVALID',
      `Failed to load the spec ${file}#/openapi: expected an OpenAPI 3.x version string, got ${JSON.stringify(record.openapi)}. Only OpenAPI 3.0 and 3.1 documents are supported.`,
    );
  }
  if (typeof record.paths !== 'object' || record.paths === null) {
    throw new RateLimitContractError(
      'ERR_RLC_SPEC_INVALID',
      `Failed to load the spec ${file}#/paths: the document has no paths object. Declare the API's routes under "paths".`,
    );
  }
  return { source: file, document: record, text, allowExternalRefs: options.allowExternalRefs ?? false, spelling: options.spelling };
}
