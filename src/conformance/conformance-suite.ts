import { requireWindowMs } from '../core/duration.js';
import { RateLimitContractError } from '../core/errors.js';
import { type OptionSpelling, optionLabel, requirePositiveWholeNumber } from '../core/option-names.js';
import { applyOverrides } from '../core/policy-overrides.js';
import { type SingleLimitView, singleLimitView } from '../core/single-limit-view.js';
import { chooseApi, chooseCredentials } from '../engine/choose-api.js';
import type { CredentialsFile } from '../openapi/credentials.js';
import { type LoadedSpec, loadSpec } from '../openapi/load-spec.js';
import { parseSpecPolicy } from '../openapi/spec-policy.js';
import { authmatechChecks } from './authmatech-checks.js';
import type { ConformanceCheck } from './conformance-check.js';
import type { Principal } from './key-pool.js';
import { secretHeaderNames } from './mask-credentials.js';
import { type PolicyLimits, policyLimits } from './per-limit/limit-model.js';
import { probeView } from './per-limit/probe-view.js';
import { type ProbePlan, planProbes } from './probe-plan.js';
import { reconlayerChecks } from './reconlayer-checks.js';
import { specChecks } from './spec-checks.js';

/** What to verify: the API (profile or spec), how the server is configured, and which checks to skip. */
export interface SuiteOptions {
  /** An embedded API: `reconlayer` or `authmatech`. */
  profile?: string;
  /**
   * Your own OpenAPI file with an `x-rate-limit` extension (or an embedded profile's file). A relative
   * path is read from the working directory (`process.cwd()`), as the mock reads it.
   */
  spec?: string;
  /** A credentials file path (a relative one read from the working directory) or its content; the profile's fixtures (the mock's) by default. */
  credentials?: string | CredentialsFile;
  /** The limit the server runs with (e.g. its RATE_LIMIT_MAX); the spec's by default. */
  limit?: number;
  /** The window the server runs with (e.g. its RATE_LIMIT_WINDOW): a string with a unit (`"2s"`, `"1 minute"`) or a number of milliseconds. */
  window?: string | number;
  /** The limited route to probe, e.g. `/v1/payment-intents`; the spec's first limited GET by default. */
  path?: string;
  method?: string;
  /** Checks to skip, by id, each with the reason (as hono's shared router cases state theirs). */
  skip?: Record<string, string>;
  /** How errors and skip reasons name these options: `options` (the default) or `flags` (the CLI's). */
  spelling?: OptionSpelling;
}

/** A resolved suite: the checks to run and everything they are held to. Building it does no network I/O. */
export interface ConformanceSuite {
  /** `reconlayer`, `authmatech`, or the spec file's path. */
  name: string;
  spec: LoadedSpec;
  /** The one limit the checks that spend a budget on the probe hold the server to (see probeView). */
  policy: SingleLimitView;
  /** Every limit of a spec (absent for the embedded profiles, whose suites are their own). */
  limits?: PolicyLimits;
  /** The requests the suite sends. */
  plan: ProbePlan;
  /** How long a budget must be left alone to be fresh for every limit: the longest window. */
  freshnessMs: number;
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
  /** How messages name the options the suite was resolved from (`--limit` or the limit option). */
  spelling: OptionSpelling;
}

const usage = (message: string) => new RateLimitContractError('ERR_RLC_USAGE', message);

function principalsFor(policy: SingleLimitView, file: CredentialsFile | undefined): Principal[] {
  if (!file || policy.key.by === 'ip') return [];
  const header = policy.key.header;
  return file.principals.map((p) => ({ id: p.id, credentials: p.credentials.filter((c) => c[header] !== undefined) })).filter((p) => p.credentials.length > 0);
}

/** Resolves options into a suite; one-line errors name the option (or flag) or file at fault. */
export function resolveSuite(options: SuiteOptions): ConformanceSuite {
  const spelling = options.spelling ?? 'options';
  const chosen = chooseApi(options, spelling);
  const profile = chosen.profile;
  const specFile = chosen.specFile;
  const spec = loadSpec(specFile, { spelling });
  const base = parseSpecPolicy(spec.document, spec.source);
  const limit = options.limit === undefined ? undefined : requirePositiveWholeNumber(options.limit, optionLabel('limit', spelling), 5);
  const windowMs = options.window === undefined ? undefined : requireWindowMs(options.window, optionLabel('window', spelling));
  const whole = applyOverrides(base, { limit, windowMs });
  const first = singleLimitView(whole);
  const plan = planProbes(spec.document, first, { path: options.path, method: options.method, spelling });
  const credentials = chooseCredentials(options, chosen, spelling);
  // A spec of one limit with plain-number headers is held to the one-limit checks, as the profiles are;
  // every spec gets the checks of each of its limits besides.
  const limits = profile ? undefined : policyLimits(whole, spec.document, plan, spec.source);
  const plain = first.unchecked.length === 0;
  const viewed = !limits || plain ? { view: first } : probeView(whole, limits, principalsFor(first, credentials).length > 0);
  const policy = viewed.view;
  const checks =
    profile?.name === 'reconlayer'
      ? reconlayerChecks
      : profile?.name === 'authmatech'
        ? authmatechChecks
        : specChecks(policy, {
            limits,
            unsupported: viewed.unsupported,
            plain,
            fallbackLimit: 'decider' in viewed && viewed.decider?.limit.key.by !== 'ip' ? viewed.decider?.limit.fallbackLimit : undefined,
          });
  const skip = new Map<string, string>();
  for (const [id, reason] of Object.entries(options.skip ?? {})) {
    if (!checks.some((c) => c.id === id))
      throw usage(`Failed to skip "${id}": there is no such check in this suite. Known ids: ${checks.map((c) => c.id).join(', ')}.`);
    if (typeof reason !== 'string' || reason.trim() === '')
      throw usage(
        `Failed to skip "${id}": no reason was given. State why, e.g. ${optionLabel('skip', spelling).pass({ [id]: 'our deployment pins the limit in code' }, `${id}=our deployment pins the limit in code`)}.`,
      );
    skip.set(id, reason.trim());
  }
  return {
    name: profile?.name ?? options.spec ?? spec.source,
    spec,
    policy,
    ...(limits ? { limits } : {}),
    plan,
    freshnessMs: Math.max(policy.windowMs, limits?.longestWindowMs ?? 0),
    declared: { limit, windowMs },
    principals: principalsFor(policy, credentials),
    credentials,
    secretHeaders: secretHeaderNames(policy, spec.document, credentials),
    checks,
    skip,
    path: options.path,
    method: options.method,
    spelling,
  };
}
