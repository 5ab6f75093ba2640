import { resolve } from 'node:path';
import { lintFromString, type NormalizedProblem } from '@redocly/openapi-core';
import { parseOperationPolicy } from '../core/parse-operation-policy.js';
import { POLICY_POINTER } from '../core/parse-policy.js';
import { type LintSeverity, loadLintConfig } from './lint-config.js';
import { CONTRACT_RULES, scopeOperations } from './lint-contract-rules.js';
import { explainPolicyProblems, salvagePolicy } from './lint-policy.js';
import { loadSpec, type SpecLoadOptions } from './load-spec.js';
import { PolicyRefResolver } from './redocly-resolver.js';
import { listOperations } from './spec-operations.js';
import { operationExtensions } from './spec-policy.js';
import { resolveSpecRefs } from './spec-refs.js';

/** One problem `lintSpec` found: the file, a JSON pointer into it, what is wrong, the rule's id and its severity. */
export interface LintProblem {
  file: string;
  pointer: string;
  message: string;
  /** A Redocly rule id (e.g. `operation-summary`) or an `x-rate-limit/...` id. */
  rule: string;
  /** `error` fails `lint`; `warn` fails it only past `--max-warnings`. */
  severity: LintSeverity;
}

/** What a lint run found, with the config it ran and the contract rules it could not run yet. */
export interface LintReport {
  file: string;
  /** The Redocly config file, or `recommended` when the project has none. */
  config: string;
  problems: LintProblem[];
  /** Contract rules skipped because the policy parts they read are broken (fix those and lint again). */
  notChecked: Array<{ rule: string; reason: string }>;
  errors: number;
  warnings: number;
}

/** Where lint finds its Redocly config: `config` (a file), else `redocly.yaml` in `cwd` (default process.cwd()). */
export interface LintOptions extends SpecLoadOptions {
  config?: string;
  cwd?: string;
}

function fromRedocly(file: string, absolute: string, problem: NormalizedProblem): LintProblem {
  const location = problem.location[0];
  const source = location?.source.absoluteRef;
  return {
    file: source === undefined || source === absolute ? file : source,
    // Redocly writes `#/` for the root, which RFC 6901 spells as the empty pointer.
    pointer: location?.pointer === undefined ? '' : location.pointer.replace(/^#/, '').replace(/^\/$/, ''),
    message: problem.message,
    rule: problem.ruleId,
    severity: problem.severity,
  };
}

/**
 * Lints an OpenAPI document and its `x-rate-limit` policy: the project's Redocly rules (its redocly.yaml,
 * else `recommended`), the policy's schema (`x-rate-limit/schema`), and the contract rules between the
 * policy and the operations (`x-rate-limit/...`, see lint-contract-rules.ts), which still run on the sound
 * parts of a policy with schema problems. The Redocly config's `rules` may set their severity too.
 * Throws RateLimitContractError when the file or the config cannot be read, or is not an OpenAPI 3.x document, or
 * when a `$ref` is refused (network, or a file outside the spec's directory, unless `allowExternalRefs`).
 * @example const { problems, errors } = await lintSpecReport('openapi/reconlayer.yaml'); // [], 0
 */
export async function lintSpecReport(file: string, options: LintOptions = {}): Promise<LintReport> {
  const spec = loadSpec(file, options);
  // Redocly reads only what the ref policy has read (spec-refs.ts): no network, no file outside the tree.
  const resolved = await resolveSpecRefs(spec, { externalValues: true });
  const config = await loadLintConfig({ configFile: options.config, cwd: options.cwd });
  const absolute = resolve(options.cwd ?? process.cwd(), file);
  const redocly = await lintFromString({
    source: spec.text,
    absoluteRef: absolute,
    config: config.redocly,
    externalRefResolver: new PolicyRefResolver(resolved),
  });
  const problems: LintProblem[] = redocly.filter((p) => !p.ignored).map((p) => fromRedocly(file, absolute, p));

  const version = String(spec.document.openapi);
  const add = (rule: string, pointer: string, message: string) => {
    const severity = config.severityOf(rule, version, 'error');
    if (severity !== 'off') problems.push({ file, pointer, message, rule, severity });
  };
  const raw = spec.document['x-rate-limit'];
  for (const p of explainPolicyProblems(raw)) add('x-rate-limit/schema', p.pointer, `${p.pointer.slice(1)} ${p.message}`);
  // Operations' own x-rate-limit: a sound one joins the policy the contract rules read, a broken one is reported and left out.
  const extensions = operationExtensions(spec.document).map((op) => ({ ...op, problems: explainPolicyProblems(op.raw, { pointer: op.pointer, root: raw }) }));
  for (const op of extensions) for (const p of op.problems) add('x-rate-limit/schema', p.pointer, `${p.pointer.slice(1)} ${p.message}`);

  const notChecked: LintReport['notChecked'] = [];
  const salvaged = salvagePolicy(raw, file);
  if (salvaged) {
    const sound = extensions.filter((op) => op.problems.length === 0);
    salvaged.policy = { ...salvaged.policy, operations: sound.map((op) => parseOperationPolicy(op.raw, op, raw, salvaged.policy, file)) };
  }
  const operations = salvaged && scopeOperations(listOperations(spec.document), salvaged.policy);
  for (const rule of CONTRACT_RULES) {
    const broken = salvaged ? rule.uses.filter((part) => salvaged.broken.has(part)) : [];
    if (!salvaged || !operations || broken.length > 0) {
      const parts = broken.length > 0 ? broken.map((part) => `${POLICY_POINTER}/${part}`).join(' and ') : POLICY_POINTER;
      notChecked.push({ rule: rule.id, reason: `fix ${parts} first` });
      continue;
    }
    for (const finding of rule.check({ document: spec.document, policy: salvaged.policy, operations })) add(rule.id, finding.pointer, finding.message);
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { file, config: config.source, problems, notChecked, errors, warnings: problems.length - errors };
}

/**
 * The problems of `lintSpecReport`, errors and warnings alike. An empty list means clean.
 * @example const problems = await lintSpec('openapi/reconlayer.yaml'); // []
 */
export async function lintSpec(file: string, options: LintOptions = {}): Promise<LintProblem[]> {
  return (await lintSpecReport(file, options)).problems;
}
