import { readFileSync } from 'node:fs';
import { load as parseYaml } from 'js-yaml';
import { RateLimitContractError } from '../core/errors.js';

/** An OpenAPI document as read from disk, with the path it came from (named in every error). */
export interface LoadedSpec {
  source: string;
  document: Record<string, unknown>;
  /** The raw text, hashed to key the render cache. */
  text: string;
}

/** Reads a YAML or JSON OpenAPI document; one-line errors name the file and what to do. */
export function loadSpec(file: string): LoadedSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new RateLimitContractError(
      'ERR_RLC_SPEC_READ',
      `Failed to read the spec ${file}: ${reason}. Pass --spec with the path of an OpenAPI 3.x YAML or JSON file, or use --profile authmatech|reconlayer.`,
    );
  }
  let document: unknown;
  try {
    document = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new RateLimitContractError('ERR_RLC_SPEC_INVALID', `Failed to parse the spec ${file}: ${reason}. Fix the YAML/JSON syntax there.`);
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
  return { source: file, document: record, text };
}
