import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RateLimitContractError } from '../core/errors.js';
import { type OptionSpelling, optionLabel, showValue } from '../core/option-names.js';

/** The two APIs whose documented behaviour ships embedded. */
export const PROFILE_NAMES = ['authmatech', 'reconlayer'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** The package root: this file sits in src/openapi or dist/openapi. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The files behind an embedded profile: its spec, its credential fixtures and Prism's pre-rendered responses. */
export interface ProfileFiles {
  name: ProfileName;
  spec: string;
  credentials: string;
  responses: string;
}

/**
 * Resolves a profile name to its files; unknown names get a one-line error listing the known ones, in the
 * words of the front end the name came through (`spelling`: `--profile` or the `profile` option).
 */
export function profileFiles(name: string, spelling?: OptionSpelling): ProfileFiles {
  if (!(PROFILE_NAMES as readonly string[]).includes(name)) {
    const profile = optionLabel('profile', spelling).passOneOf(PROFILE_NAMES);
    const spec = optionLabel('spec', spelling).pass('openapi/my-api.yaml');
    throw new RateLimitContractError(
      'ERR_RLC_PROFILE',
      `Failed to select the profile ${showValue(name)}: there is no such profile. Use ${profile}, or ${spec} for your own API.`,
    );
  }
  return {
    name: name as ProfileName,
    spec: join(PACKAGE_ROOT, 'openapi', `${name}.yaml`),
    credentials: join(PACKAGE_ROOT, 'mocks', `${name}.credentials.json`),
    responses: join(PACKAGE_ROOT, 'mocks', `${name}.responses.json`),
  };
}

/** The profile whose spec is this file, if it is one of the embedded ones. */
export function profileOfSpec(file: string): ProfileFiles | undefined {
  for (const name of PROFILE_NAMES) {
    const files = profileFiles(name);
    if (files.spec === file && existsSync(files.credentials)) return files;
  }
  return undefined;
}
