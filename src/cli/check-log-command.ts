import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { findRetryViolations, formatRetryViolations, type RetryViolation } from '../client/retry-assertions.js';
import { analyseRetries } from '../client/retry-chains.js';
import { RETRY_CHECKS } from '../client/retry-checks.js';
import { type RetryProfile, type RetryRuleSet, retryRulesFor } from '../client/retry-rules.js';
import { loadSpec } from '../openapi/load-spec.js';
import { profileOfSpec } from '../openapi/profiles.js';
import { usageError } from './cli-error.js';
import { parseFlags } from './parse-flags.js';
import { type AttemptLogSource, readAttemptLog } from './read-attempt-log.js';

export const CHECK_LOG_HELP = `Usage: ratelimit-contract check-log (--profile <name> | --spec <file>) <log.json | mock URL> [options]

Judges how a client retried, from an attempt log, with the checks assertRetryLog runs: for clients in any
language. The log is a running mock's (started with --control; its GET /__ratelimit/attempts is read) or a
JSON file: what that endpoint answers, or an array of attempts (atMs, method, path, status; see the README).

Options:
  --profile <name>       the rules of an embedded API's doc: reconlayer, authmatech, or http (RFC 9110 only)
  --spec <file>          your OpenAPI file: an embedded profile's spec gets its rules, any other the HTTP
                         rules under its title (add your doc's numbers with --rules)
  --rules <file.json>    rule-set fields laid over the profile's (e.g. {"maxAttempts": 8}); see
                         docs/client-testing.md, "Rule sets are data"
  --key <key>            judge one budget key only, e.g. organization:org_acme
  --tolerance-ms <n>     clock slack per wait (default: 250 for a log the mock took in real time, else 0)
  --control-token <t>    the mock's --control-token, when it requires one
  --format <name>        pretty (default) or json
  -h, --help             this help

Exit 0 when the client retried politely, 1 with findings (each check, the doc clause, the fix and the
attempts that show it), 2 on usage errors (no rules chosen, an unreadable or empty log).`;

/** Real-clock slack: a wait measured at the server also holds the client's own work and the network. */
const REAL_CLOCK_TOLERANCE_MS = 250;
const PROFILES: readonly RetryProfile[] = ['reconlayer', 'authmatech', 'http'];

function readRulesFile(file: string): Partial<RetryRuleSet> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(
      `Failed to read --rules ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}. Pass a JSON object of rule-set fields, e.g. {"maxAttempts": 8}.`,
    );
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw usageError(`Failed to read --rules ${file}: it is not a JSON object. Pass rule-set fields, e.g. {"maxAttempts": 8}.`);
  return json as Partial<RetryRuleSet>;
}

/** The rules a profile name or a spec file stands for. */
function baseRules(profile: string | undefined, spec: string | undefined): RetryRuleSet {
  if ((profile === undefined) === (spec === undefined)) {
    throw usageError('Failed to choose the rules: pass exactly one of --profile reconlayer|authmatech|http or --spec <file>.');
  }
  if (profile !== undefined) {
    if (!(PROFILES as readonly string[]).includes(profile))
      throw usageError(`Failed to select the profile "${profile}": use --profile ${PROFILES.join('|')}, or --spec <file>.`);
    return retryRulesFor(profile as RetryProfile);
  }
  const file = isAbsolute(spec as string) ? (spec as string) : resolve(spec as string);
  const embedded = profileOfSpec(file);
  if (embedded) return retryRulesFor(embedded.name);
  const info = loadSpec(file).document.info as { title?: unknown } | undefined;
  return retryRulesFor('http', { name: typeof info?.title === 'string' ? info.title : 'HTTP' });
}

function toleranceFrom(text: string | undefined, log: AttemptLogSource): number {
  if (text === undefined) return log.clock === 'real' ? REAL_CLOCK_TOLERANCE_MS : 0;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw usageError(`Failed to read --tolerance-ms: "${text}" is not a whole number of milliseconds. Pass e.g. --tolerance-ms 250.`);
  return Number(text);
}

/** What `--format json` prints. */
export interface CheckLogReport {
  source: string;
  rules: string;
  toleranceMs: number;
  attempts: number;
  chains: number;
  checks: string[];
  polite: boolean;
  violations: RetryViolation[];
}

/** `ratelimit-contract check-log`. */
export async function runCheckLogCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseFlags('check-log', args, {
    profile: { type: 'string' },
    spec: { type: 'string' },
    rules: { type: 'string' },
    key: { type: 'string' },
    'tolerance-ms': { type: 'string' },
    'control-token': { type: 'string' },
    format: { type: 'string' },
  });
  if (values.help) {
    out(`${CHECK_LOG_HELP}\n`);
    return 0;
  }
  const where = positionals[0];
  if (where === undefined || positionals.length > 1) {
    throw usageError(
      'Failed to check the log: pass exactly one attempt log, a JSON file or the mock URL, e.g. `ratelimit-contract check-log --profile reconlayer http://127.0.0.1:3001`.',
    );
  }
  const format = values.format ?? 'pretty';
  if (format !== 'pretty' && format !== 'json') throw usageError(`Failed to read --format: "${format}" is not a format. Pass pretty or json.`);
  const base = baseRules(values.profile, values.spec);
  const overrides = values.rules === undefined ? {} : readRulesFile(values.rules);
  const log = await readAttemptLog(where, { key: values.key, token: values['control-token'] });
  if (log.attempts.length === 0) {
    throw usageError(
      `Failed to check the log ${log.source}: it holds no attempts${values.key ? ` of key ${values.key}` : ''}. Run your client against the mock (with --control) first, then check.`,
    );
  }
  const rules: RetryRuleSet = {
    ...base,
    toleranceMs: toleranceFrom(values['tolerance-ms'], log),
    ...overrides,
    clauses: { ...base.clauses, ...overrides.clauses },
  };
  const violations = findRetryViolations(log.attempts, rules);
  const report: CheckLogReport = {
    source: log.source,
    rules: rules.name,
    toleranceMs: rules.toleranceMs,
    attempts: log.attempts.length,
    chains: analyseRetries(log.attempts, rules).chains.length,
    checks: RETRY_CHECKS.filter((check) => check.appliesTo(rules)).map((check) => check.id),
    polite: violations.length === 0,
    violations,
  };
  if (format === 'json') out(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const summary = `${report.attempts} attempt(s) in ${report.chains} chain(s) from ${report.source}, judged by ${report.checks.length} checks of the ${report.rules} rules (clock tolerance ${report.toleranceMs} ms)`;
    out(
      report.polite
        ? `check-log: ${summary}: polite.\n`
        : `${formatRetryViolations(violations, log.attempts, rules.name)}\ncheck-log: ${summary}: ${violations.length} finding(s).\n`,
    );
  }
  return report.polite ? 0 : 1;
}
