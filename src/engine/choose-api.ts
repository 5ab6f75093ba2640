import { isAbsolute, resolve } from 'node:path';
import { RateLimitContractError } from '../core/errors.js';
import { type OptionSpelling, optionLabel } from '../core/option-names.js';
import { type CredentialsFile, loadCredentials, validateCredentials } from '../openapi/credentials.js';
import { PROFILE_NAMES, type ProfileFiles, type ProfileName, profileFiles, profileOfSpec } from '../openapi/profiles.js';

/** How a user names the API: an embedded profile, or a spec of their own, and the credentials to use. */
export interface ApiChoice {
  profile?: string;
  spec?: string;
  credentials?: string | CredentialsFile;
}

/** The API chosen, its files resolved: the spec's absolute path and the profile it belongs to, if any. */
export interface ChosenApi {
  specFile: string;
  profile: ProfileFiles | undefined;
}

/** A file path as the process sees it: a relative path is read from the working directory, here and only here. */
export const absolutePath = (file: string) => (isAbsolute(file) ? file : resolve(file));

const usage = (message: string) => new RateLimitContractError('ERR_RLC_USAGE', message);

/**
 * Resolves the API an options object names, the one place that does so for the mock, the nock and MSW
 * helpers, `runConformance` and the vitest suite: a relative `spec` is read from the working directory, and
 * an embedded profile's spec is recognised by its absolute path (so `openapi/reconlayer.yaml` keeps the
 * profile's credentials). `fallback` is the profile used when neither is given (the mock's reconlayer);
 * without one, that is an error. Errors name the options as `spelling` says (`--spec` or the spec option).
 */
export function chooseApi(options: ApiChoice, spelling: OptionSpelling, fallback?: ProfileName): ChosenApi {
  const profile = optionLabel('profile', spelling);
  const spec = optionLabel('spec', spelling);
  if (options.profile !== undefined && options.spec !== undefined)
    throw usage(`Failed to choose the API: both ${profile.name} and ${spec.name} were given. Pass one of them.`);
  if (options.spec !== undefined) {
    const specFile = absolutePath(options.spec);
    return { specFile, profile: profileOfSpec(specFile) };
  }
  const name = options.profile ?? fallback;
  if (name === undefined) {
    throw usage(
      `Failed to choose the API: neither ${profile.name} nor ${spec.name} was given. Pass ${profile.passOneOf(PROFILE_NAMES)}, or ${spec.pass('openapi/my-api.yaml')} for your own OpenAPI document.`,
    );
  }
  const files = profileFiles(name, spelling);
  return { specFile: files.spec, profile: files };
}

/** The credentials: a file (a relative path read from the working directory), their parsed content, or the profile's fixtures. */
export function chooseCredentials(options: ApiChoice, chosen: ChosenApi, spelling: OptionSpelling): CredentialsFile | undefined {
  if (typeof options.credentials === 'string') return loadCredentials(absolutePath(options.credentials), spelling);
  if (options.credentials) return validateCredentials(options.credentials, optionLabel('credentials', spelling).name);
  return chosen.profile ? loadCredentials(chosen.profile.credentials, spelling) : undefined;
}
