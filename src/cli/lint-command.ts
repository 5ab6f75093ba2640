import { statSync } from 'node:fs';
import type { LintReport } from '../openapi/lint-spec.js';
import { usageError } from './cli-error.js';
import { parseFlags } from './parse-flags.js';

export const LINT_HELP = `Usage: ratelimit-contract lint <spec> [--config <redocly.yaml>] [--max-warnings <n>] [--format pretty|json] [--allow-external-refs]

Validates an OpenAPI document with Redocly and its x-rate-limit policy: the policy's schema, and that
limited operations declare the rejection response and headers the policy sends (the x-rate-limit/* rules).

Options:
  --config <file>        Redocly config (default: redocly.yaml in the current directory, else Redocly's
                         recommended rules). Its rules may set x-rate-limit/* rules to error, warn or off.
  --max-warnings <n>     also fail when there are more than n warnings (default: warnings never fail)
  --format <name>        pretty (default) or json
  --allow-external-refs  let the spec's $refs read files outside its directory tree and fetch http(s) URLs
                         (default: only files in the spec's own directory tree; a refused $ref exits 2)
  -h, --help             this help

Each problem shows its severity and rule id. Exit 0 with no errors, 1 with errors (or more warnings than
--max-warnings), 2 on usage errors (an unreadable spec or config, a refused $ref).`;

function parseMaxWarnings(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw usageError(`Failed to read --max-warnings: "${text}" is not a whole number. Pass e.g. --max-warnings 0 to fail on any warning.`);
  return Number(text);
}

/** Checks the spec argument here, so that the message speaks of `lint <spec>` rather than of the mock's --spec. */
function checkSpecFile(file: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(
      `Failed to lint ${file}: ${code === 'ENOENT' ? 'no such file' : code}. Pass the path of an OpenAPI 3.x YAML or JSON file, e.g. \`ratelimit-contract lint openapi/my-api.yaml\`.`,
    );
  }
  if (!isFile) throw usageError(`Failed to lint ${file}: it is a directory. Pass the path of an OpenAPI 3.x YAML or JSON file inside it.`);
}

function formatPretty(report: LintReport): string {
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = report.problems.map((p) => `${p.file}#${p.pointer}  ${p.severity === 'error' ? 'error' : 'warn '}  ${p.message}  [${p.rule}]`);
  if (report.notChecked.length > 0) {
    const reasons = [...new Set(report.notChecked.map((n) => n.reason))];
    lines.push(`not checked yet (${reasons.join('; ')}): ${report.notChecked.map((n) => n.rule).join(', ')}`);
  }
  const rules = `rules: ${report.config === 'recommended' ? "Redocly's recommended" : report.config} + x-rate-limit`;
  if (report.problems.length === 0 && report.notChecked.length === 0) lines.push(`${report.file}: clean (${rules})`);
  else lines.push(`${report.file}: ${count(report.errors, 'error')}, ${count(report.warnings, 'warning')} (${rules})`);
  return `${lines.join('\n')}\n`;
}

/** `ratelimit-contract lint <spec>`. */
export async function runLintCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseFlags('lint', args, {
    format: { type: 'string' },
    config: { type: 'string' },
    'max-warnings': { type: 'string' },
    'allow-external-refs': { type: 'boolean' },
  });
  if (values.help) {
    out(`${LINT_HELP}\n`);
    return 0;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) throw usageError('Failed to lint: pass exactly one spec file, e.g. `ratelimit-contract lint openapi/reconlayer.yaml`.');
  const format = values.format ?? 'pretty';
  if (format !== 'pretty' && format !== 'json') throw usageError(`Failed to read --format: "${format}" is not a format. Pass pretty or json.`);
  const maxWarnings = parseMaxWarnings(values['max-warnings']);
  checkSpecFile(file);
  const { lintSpecReport } = await import('../openapi/lint-spec.js');
  const report = await lintSpecReport(file, { config: values.config, allowExternalRefs: values['allow-external-refs'] });
  out(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatPretty(report));
  return report.errors > 0 || (maxWarnings !== undefined && report.warnings > maxWarnings) ? 1 : 0;
}
