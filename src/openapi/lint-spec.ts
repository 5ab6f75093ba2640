import { resolve } from 'node:path';
import { type Config, createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core';
import { findPolicyProblems, POLICY_POINTER, parsePolicy } from '../core/parse-policy.js';
import { CONTRACT_RULES, scopeOperations } from './lint-contract-rules.js';
import { loadSpec, type SpecLoadOptions } from './load-spec.js';
import { PolicyRefResolver } from './redocly-resolver.js';
import { listOperations } from './spec-operations.js';
import { resolveSpecRefs } from './spec-refs.js';

/** One problem `lintSpec` found: the file, a JSON pointer into it, what is wrong, and the rule's id. */
export interface LintProblem {
  file: string;
  pointer: string;
  message: string;
  /** A Redocly rule id (e.g. `operation-summary`) or an `x-rate-limit/...` id. */
  rule: string;
}

let recommended: Promise<Config> | undefined;

function fromRedocly(file: string, absolute: string, problem: NormalizedProblem): LintProblem {
  const location = problem.location[0];
  const source = location?.source.absoluteRef;
  return {
    file: source === undefined || source === absolute ? file : source,
    // Redocly writes `#/` for the root, which RFC 6901 spells as the empty pointer.
    pointer: location?.pointer === undefined ? '' : location.pointer.replace(/^#/, '').replace(/^\/$/, ''),
    message: problem.message,
    rule: problem.ruleId,
  };
}

/**
 * Lints an OpenAPI document and its `x-rate-limit` policy: Redocly's `recommended` rules (errors and
 * warnings), the policy's schema (`x-rate-limit/schema`), then the contract rules between the policy and
 * the operations (`x-rate-limit/...`, see lint-contract-rules.ts). An empty list means clean.
 * Throws RateLimitContractError when the file cannot be read or is not an OpenAPI 3.x document, or when
 * a `$ref` is refused (network, or a file outside the spec's directory, unless `allowExternalRefs`).
 * @example const problems = await lintSpec('openapi/reconlayer.yaml'); // []
 */
export async function lintSpec(file: string, options: SpecLoadOptions = {}): Promise<LintProblem[]> {
  const spec = loadSpec(file, options);
  // Redocly reads only what the ref policy has read (spec-refs.ts): no network, no file outside the tree.
  const resolved = await resolveSpecRefs(spec, { externalValues: true });
  const absolute = resolve(file);
  recommended ??= createConfig({ extends: ['recommended'] });
  const redocly = await lintFromString({
    source: spec.text,
    absoluteRef: absolute,
    config: await recommended,
    externalRefResolver: new PolicyRefResolver(resolved),
  });
  const problems: LintProblem[] = redocly.filter((p) => !p.ignored).map((p) => fromRedocly(file, absolute, p));

  const raw = spec.document['x-rate-limit'];
  const policyProblems = findPolicyProblems(raw);
  for (const p of policyProblems) problems.push({ file, pointer: p.pointer, message: `${p.pointer.slice(1)} ${p.message}`, rule: 'x-rate-limit/schema' });
  if (policyProblems.length > 0) return problems;

  let policy: ReturnType<typeof parsePolicy>;
  try {
    policy = parsePolicy(raw, file);
  } catch (error) {
    problems.push({ file, pointer: POLICY_POINTER, message: (error as Error).message, rule: 'x-rate-limit/schema' });
    return problems;
  }
  const operations = scopeOperations(listOperations(spec.document), policy);
  for (const rule of CONTRACT_RULES) {
    for (const finding of rule.check({ document: spec.document, policy, operations })) {
      problems.push({ file, pointer: finding.pointer, message: finding.message, rule: rule.id });
    }
  }
  return problems;
}
