import { writeFileSync } from 'node:fs';
import { formatHtmlReport } from '../conformance/reporters/html.js';
import { formatJsonReport } from '../conformance/reporters/json.js';
import { formatJunitReport } from '../conformance/reporters/junit.js';
import { formatPrettyReport, formatProgressLine } from '../conformance/reporters/pretty.js';
import { type ConformanceReport, runConformance } from '../conformance/run-conformance.js';
import { RateLimitContractError } from '../core/errors.js';
import { parsePositiveInt, usageError } from './cli-error.js';
import { parseFlags } from './parse-flags.js';
import type { CliIo } from './run-cli.js';
import { requireWritableOutput } from './writable-output.js';

export const VERIFY_HELP = `Usage: ratelimit-contract verify (--profile reconlayer|authmatech | --spec <file>) --target <url> [options]

Runs the conformance suite against a running server: each check enforces one clause of the API's
rate-limit documentation. Progress goes to stderr; the report lists each check as passed, failed (with
the request that showed it, expected vs actual, and the doc clause) or skipped (with its reason).

Options:
  --target <url>          the server's base URL, e.g. http://127.0.0.1:3001 (required; use 127.0.0.1
                          rather than localhost so that the suite can also act as other client IPs)
  --profile <name>        embedded API: reconlayer or authmatech
  --spec <file>           your own OpenAPI 3.x file with an x-rate-limit extension
  --credentials <file>    credentials JSON (default: the profile's fixtures, the ones the mock uses)
  --limit <n>             the limit the server runs with, e.g. its RATE_LIMIT_MAX (default: the spec's)
  --window <duration>     the window it runs with, with a unit: 2s, 1m, "1 minute", 1500ms (a bare
                          number is refused; default: the spec's)
  --path <path>           the limited route to probe (default: the spec's first limited GET)
  --method <method>       the method for --path (default GET)
  --skip <id=reason>      skip a check and say why, e.g. --skip 'reconlayer/env-overrides-reflected=pinned in code'
                          (repeatable)
  --reporter <name>       pretty (default), json, junit or html
  --output <file>         write the report to a file instead of stdout (html needs it)
  --real-time             wait in real time even when the target is the mock with --control
  --control-token <t>     the token of a mock started with --control-token (to use its virtual clock)
  -h, --help              this help

Your own spec: besides the one-limit checks, each limit the spec declares gets its own checks
(spec/limits/<name>/…): refused when spent, the deciding limit reported, the declared rejection,
remaining spent by the declared cost, headers in the declared style (seconds, epoch, duration, IETF
draft-6/7/8/12 fields), and only on its operations. Each failure quotes the spec's file#pointer.

Time: a check that needs a window to pass waits the real remaining time, bounded by the window, so
run the server with a short window in CI (e.g. RATE_LIMIT_WINDOW=2s and --window 2s). Against the
mock started with --control, the suite moves its virtual clock instead and takes no real time.

HTML report: --reporter html --output report.html writes one self-contained file that opens from disk
(no server, no script, nothing fetched): a summary; each check with its doc clause, its verdict and the
requests it sent (credentials masked, the rate-limit headers that came back, times); and a chart of the
remaining budget over time per check, 429s drawn as crosses on a red rule.

Exit codes: 0 every check passed or was skipped, 1 a check failed, 2 usage error or unreachable target.`;

const REPORTERS: Record<string, (report: ConformanceReport) => string> = {
  pretty: formatPrettyReport,
  json: formatJsonReport,
  junit: formatJunitReport,
  html: formatHtmlReport,
};

function parseSkips(values: string[] | undefined): Record<string, string> {
  const skip: Record<string, string> = {};
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    if (at <= 0)
      throw usageError(
        `Failed to read --skip "${value}": expected <check id>=<reason>. Pass e.g. --skip 'reconlayer/env-overrides-reflected=our deployment pins the limit in code'.`,
      );
    skip[value.slice(0, at).trim()] = value.slice(at + 1);
  }
  return skip;
}

/** `ratelimit-contract verify`: runs the suite, prints progress to stderr and the report to stdout or --output. */
export async function runVerifyCommand(args: string[], out: (text: string) => void, io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('verify', args, {
    target: { type: 'string' },
    profile: { type: 'string' },
    spec: { type: 'string' },
    credentials: { type: 'string' },
    limit: { type: 'string' },
    window: { type: 'string' },
    path: { type: 'string' },
    method: { type: 'string' },
    skip: { type: 'string', multiple: true },
    reporter: { type: 'string' },
    output: { type: 'string' },
    'real-time': { type: 'boolean' },
    'control-token': { type: 'string' },
  });
  if (values.help) {
    out(`${VERIFY_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) throw usageError(`Failed to read the verify arguments: unexpected "${positionals[0]}". Pass the server with --target <url>.`);
  if (values.target === undefined)
    throw usageError('Failed to verify: no --target was given. Pass the base URL of the server under test, e.g. --target http://127.0.0.1:3001.');
  const reporterName = values.reporter ?? 'pretty';
  const reporter = REPORTERS[reporterName];
  if (!reporter) throw usageError(`Failed to read --reporter: "${reporterName}" is not a reporter. Pass pretty, json, junit or html.`);
  if (reporterName === 'html' && values.output === undefined)
    throw usageError('Failed to write the HTML report: --reporter html needs --output <file>. Pass e.g. --output report.html.');
  // Before the run, not after it: a run can take several windows.
  if (values.output !== undefined) requireWritableOutput(values.output);
  const progress = io.err;
  const report = await runConformance({
    // The suite reads every option once for both front ends (a --window without a unit is refused there)
    // and names them as flags.
    spelling: 'flags',
    target: values.target,
    profile: values.profile,
    spec: values.spec,
    credentials: values.credentials,
    limit: parsePositiveInt(values.limit, '--limit'),
    window: values.window,
    path: values.path,
    method: values.method,
    skip: parseSkips(([] as string[]).concat((values.skip as string | string[] | undefined) ?? [])),
    clock: values['real-time'] ? 'real' : 'auto',
    controlToken: values['control-token'],
    onCheckStart: (check, index, total) => {
      if (index === 0) progress(`verifying ${check.id.split('/')[0]} against ${values.target} (${total} checks)\n`);
    },
    onCheckEnd: (result, index, total) => progress(`${formatProgressLine(result, index, total)}\n`),
  });
  const text = reporter(report);
  if (values.output !== undefined) {
    try {
      writeFileSync(values.output, text);
    } catch (error) {
      throw new RateLimitContractError(
        'ERR_RLC_USAGE',
        `Failed to write the report to ${values.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Pass an --output path in a writable directory.`,
      );
    }
    const { passed, failed, skipped, blocked } = report.summary;
    progress(`report written to ${values.output}: ${passed} passed, ${failed} failed, ${skipped} skipped${blocked > 0 ? `, ${blocked} blocked` : ''}\n`);
  } else out(text);
  return report.summary.failed > 0 ? 1 : 0;
}
