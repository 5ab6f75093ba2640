import { usageError } from './cli-error.js';
import { parseFlags } from './parse-flags.js';

export const LINT_HELP = `Usage: ratelimit-contract lint <spec> [--format pretty|json] [--allow-external-refs]

Validates an OpenAPI document (Redocly's recommended rules) and its x-rate-limit policy: the policy's
schema, and that limited operations declare the rejection response and headers the policy sends.
$refs may read files in the spec's directory tree only; --allow-external-refs also allows other files and URLs.
Exit 0 when clean, 1 when problems are found (each is listed), 2 on usage errors and refused $refs.`;

/** `ratelimit-contract lint <spec>`. */
export async function runLintCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseFlags('lint', args, { format: { type: 'string' }, 'allow-external-refs': { type: 'boolean' } });
  if (values.help) {
    out(`${LINT_HELP}\n`);
    return 0;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) throw usageError('Failed to lint: pass exactly one spec file, e.g. `ratelimit-contract lint openapi/reconlayer.yaml`.');
  const format = values.format ?? 'pretty';
  if (format !== 'pretty' && format !== 'json') throw usageError(`Failed to read --format: "${format}" is not a format. Pass pretty or json.`);
  const { lintSpec } = await import('../openapi/lint-spec.js');
  const problems = await lintSpec(file, { allowExternalRefs: values['allow-external-refs'] });
  if (format === 'json') out(`${JSON.stringify({ file, problems }, null, 2)}\n`);
  else if (problems.length === 0) out(`${file}: clean (OpenAPI and x-rate-limit)\n`);
  else {
    for (const p of problems) out(`${p.file}#${p.pointer}  ${p.message}  [${p.rule}]\n`);
    out(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${file}\n`);
  }
  return problems.length === 0 ? 0 : 1;
}
