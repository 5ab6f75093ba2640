import { resolve } from 'node:path';
import { requireDurationMs } from '../core/duration.js';
import { RateLimitContractError } from '../core/errors.js';
import { applyOverrides } from '../core/policy-overrides.js';
import { type SingleLimitView, singleLimitView } from '../core/single-limit-view.js';
import { type CredentialsFile, loadCredentials, validateCredentials } from '../openapi/credentials.js';
import { type LoadedSpec, loadSpec } from '../openapi/load-spec.js';
import { profileFiles, profileOfSpec } from '../openapi/profiles.js';
import { parseSpecPolicy } from '../openapi/spec-policy.js';
import { authmatechChecks } from './authmatech-checks.js';
import type { ConformanceCheck } from './conformance-check.js';
import type { Principal } from './key-pool.js';
import { secretHeaderNames } from './mask-credentials.js';
import { reconlayerChecks } from './reconlayer-checks.js';
import { specChecks } from './spec-checks.js';

/** What to verify: the API (profile or spec), how the server is configured, and which checks to skip. */
export interface SuiteOptions {
  /** An embedded API: `reconlayer` or `authmatech`. */
  profile?: string;
  /** Your own OpenAPI file with an `x-rate-limit` extension (or an embedded profile's file). */
  spec?: string;
  /** A credentials file path or its content; the profile's fixtures (the mock's) by default. */
  credentials?: string | CredentialsFile;
  /** The limit the server runs with (e.g. its RATE_LIMIT_MAX); the spec's by default. */
  limit?: number;
  /** The window the server runs with (e.g. its RATE_LIMIT_WINDOW): `2s`, `1 minute`, or milliseconds. */
  window?: string | number;
  /** The limited route to probe, e.g. `/v1/payment-intents`; the spec's first limited GET by default. */
  path?: string;
  method?: string;
  /** Checks to skip, by id, each with the reason (as hono's shared router cases state theirs). */
  skip?: Record<string, string>;
}

/** A resolved suite: the checks to run and everything they are held to. Building it does no network I/O. */
export interface ConformanceSuite {
  /** `reconlayer`, `authmatech`, or the spec file's path. */
  name: string;
  spec: LoadedSpec;
  policy: SingleLimitView;
  declared: { limit?: number; windowMs?: number };
  principals: Principal[];
  /** The credentials file the suite sends from (its values are masked in reports). */
  credentials?: CredentialsFile;
  /** Every header that carries a credential: masked in every report. */
  secretHeaders: string[];
  checks: readonly ConformanceCheck[];
  skip: ReadonlyMap<string, string>;
  path?: string;
  method?: string;
}

const usage = (message: string) => new RateLimitContractError('ERR_RLC_USAGE', message);

function principalsFor(policy: SingleLimitView, file: CredentialsFile | undefined): Principal[] {
  if (!file || policy.key.by === 'ip') return [];
  const header = policy.key.header;
  return file.principals.map((p) => ({ id: p.id, credentials: p.credentials.filter((c) => c[header] !== undefined) })).filter((p) => p.credentials.length > 0);
}

/** Resolves options into a suite; one-line errors name the flag or file at fault. */
export function resolveSuite(options: SuiteOptions): ConformanceSuite {
  if (options.profile !== undefined && options.spec !== undefined)
    throw usage('Failed to choose the API: both --profile and --spec were given. Pass one of them.');
  if (options.profile === undefined && options.spec === undefined)
    throw usage('Failed to choose the API: pass --profile reconlayer|authmatech, or --spec <file> for your own OpenAPI document.');
  const profile = options.spec === undefined ? profileFiles(options.profile ?? '') : profileOfSpec(resolve(options.spec));
  const specFile = options.spec ?? profile?.spec ?? '';
  const spec = loadSpec(specFile);
  const base = parseSpecPolicy(spec.document, specFile);
  if (options.limit !== undefined && (!Number.isSafeInteger(options.limit) || options.limit < 1)) {
    throw usage(`Failed to read --limit: ${options.limit} is not a positive whole number. Pass the limit the server runs with, e.g. --limit 5.`);
  }
  const windowMs =
    options.window === undefined ? undefined : typeof options.window === 'number' ? options.window : requireDurationMs(options.window, '--window');
  // The suite checks the first limit with plain-number headers for now (see SingleLimitView.unchecked).
  const policy = singleLimitView(applyOverrides(base, { limit: options.limit, windowMs }));
  let credentials: CredentialsFile | undefined;
  if (typeof options.credentials === 'string') credentials = loadCredentials(options.credentials);
  else if (options.credentials) credentials = validateCredentials(options.credentials, 'the credentials option');
  else if (profile) credentials = loadCredentials(profile.credentials);
  const checks = profile?.name === 'reconlayer' ? reconlayerChecks : profile?.name === 'authmatech' ? authmatechChecks : specChecks(policy);
  const skip = new Map<string, string>();
  for (const [id, reason] of Object.entries(options.skip ?? {})) {
    if (!checks.some((c) => c.id === id))
      throw usage(`Failed to skip "${id}": there is no such check in this suite. Known ids: ${checks.map((c) => c.id).join(', ')}.`);
    if (typeof reason !== 'string' || reason.trim() === '')
      throw usage(`Failed to skip "${id}": no reason was given. State why, e.g. --skip '${id}=our deployment pins the limit in code'.`);
    skip.set(id, reason.trim());
  }
  return {
    name: profile?.name ?? specFile,
    spec,
    policy,
    declared: { limit: options.limit, windowMs },
    principals: principalsFor(policy, credentials),
    credentials,
    secretHeaders: secretHeaderNames(policy, spec.document, credentials),
    checks,
    skip,
    path: options.path,
    method: options.method,
  };
}
