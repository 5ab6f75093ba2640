import { RateLimitContractError } from '../core/errors.js';
import { type OptionSpelling, optionLabel } from '../core/option-names.js';
import { compilePathPattern } from '../core/path-pattern.js';
import { parseRequestTarget } from '../core/request-target.js';
import { createScopeClassifier } from '../core/scope.js';
import type { SingleLimitView } from '../core/single-limit-view.js';
import { listSpecOperations, parameterExample, requestBodyExample, type SpecOperation } from './spec-lookup.js';

/** A concrete request the suite can send to one operation. */
export interface ProbeOperation {
  method: string;
  /** Concrete path (and query), e.g. `/docs/quickstart`. */
  path: string;
  /** The spec's path template, e.g. `/docs/{page}`; the path itself when the spec has no match. */
  template: string;
  body?: string;
  headers: Record<string, string>;
}

/** Which requests the suite sends, all derived from the spec and the policy. */
export interface ProbePlan {
  /** The limited route every budget check spends on (`--path`, or the spec's first limited GET). */
  probe: ProbeOperation;
  /** One request per exempt pattern of the policy. */
  exempt: ProbeOperation[];
  /** Every operation the policy's scope limits (the probe first), one per template. */
  inScope: ProbeOperation[];
  /** Operations outside the scope (and not exempt), which must spend nothing. */
  outOfScope: ProbeOperation[];
}

function concretePath(op: SpecOperation): string {
  return op.template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const parameter = op.parameters.find((p) => p.in === 'path' && p.name === name);
    const example = parameter ? parameterExample(parameter) : undefined;
    return encodeURIComponent(example === undefined || example === null ? 'conformance' : String(example));
  });
}

function toProbe(document: Record<string, unknown>, op: SpecOperation): ProbeOperation {
  const body = ['POST', 'PUT', 'PATCH'].includes(op.method) ? (requestBodyExample(document, op.operation) ?? undefined) : undefined;
  return { method: op.method, path: concretePath(op), template: op.template, body, headers: body === undefined ? {} : { 'content-type': 'application/json' } };
}

const templateMatcher = (template: string) => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`);

/** Derives the plan; `path`/`method` choose the probe instead of the spec's first limited GET. */
export function planProbes(
  document: Record<string, unknown>,
  policy: SingleLimitView,
  options: { path?: string; method?: string; spelling?: OptionSpelling } = {},
): ProbePlan {
  const pathOption = optionLabel('path', options.spelling ?? 'options');
  const classify = createScopeClassifier(policy);
  const ops = listSpecOperations(document).map((op) => ({ op, probe: toProbe(document, op) }));
  const verdictOf = (path: string) => classify(parseRequestTarget(path));
  const limited = ops.filter((o) => verdictOf(o.probe.path) === 'limited');
  let probe: ProbeOperation | undefined;
  if (options.path !== undefined) {
    if (!options.path.startsWith('/')) {
      throw new RateLimitContractError(
        'ERR_RLC_USAGE',
        `Failed to read ${pathOption.name}: "${options.path}" does not start with "/". Pass the limited route to probe, e.g. ${pathOption.pass('/v1/payment-intents')}.`,
      );
    }
    const method = (options.method ?? 'GET').toUpperCase();
    const bare = options.path.split('?')[0] ?? options.path;
    const match = ops.find((o) => o.op.method === method && templateMatcher(o.op.template).test(bare));
    probe = { method, path: options.path, template: match?.op.template ?? bare, body: match?.probe.body, headers: match?.probe.headers ?? {} };
  } else {
    const declares429 = (o: (typeof ops)[number]) =>
      o.op.operation.node.responses !== undefined && String(policy.rejection.status) in (o.op.operation.node.responses as object);
    const gets = limited.filter((o) => o.op.method === 'GET');
    probe = (gets.find((o) => !o.op.template.includes('{') && declares429(o)) ?? gets.find((o) => !o.op.template.includes('{')) ?? gets[0] ?? limited[0])
      ?.probe;
  }
  if (!probe) {
    throw new RateLimitContractError(
      'ERR_RLC_USAGE',
      `Failed to choose a route to probe: the spec has no operation inside the x-rate-limit scope. Pass ${pathOption.name} with a limited route, e.g. ${pathOption.pass('/v1/payment-intents')}.`,
    );
  }
  const exempt: ProbeOperation[] = [];
  for (const pattern of policy.exempt) {
    const matches = compilePathPattern(pattern);
    const found = ops.filter((o) => verdictOf(o.probe.path) === 'exempt' && matches(o.probe.path));
    const chosen = found.find((o) => o.op.method === 'GET') ?? found[0];
    const synthetic = pattern.replace(/\*\*?/g, 'conformance');
    const next = chosen?.probe ?? { method: 'GET', path: synthetic, template: pattern, headers: {} };
    if (!exempt.some((e) => e.method === next.method && e.path === next.path)) exempt.push(next);
  }
  const seen = new Set<string>([`${probe.method} ${probe.template}`]);
  const inScope = [probe];
  for (const o of limited) {
    const id = `${o.op.method} ${o.op.template}`;
    if (!seen.has(id)) inScope.push(o.probe);
    seen.add(id);
  }
  const outOfScope = ops.filter((o) => verdictOf(o.probe.path) === 'unlimited').map((o) => o.probe);
  return { probe, exempt, inScope, outOfScope };
}

/**
 * Requests that a careless server might exempt or route around the limiter, all of which must reach a
 * limited route or nothing: query strings naming an exempt path, dot segments, encoded slashes, doubled
 * slashes and case changes. Built from the probe's path and the exempt paths.
 */
export function bypassProbes(plan: ProbePlan): string[] {
  const [path = '/', query] = plan.probe.path.split('?');
  const withQuery = (extra: string) => `${path}?${query ? `${query}&` : ''}${extra}`;
  const literal = plan.exempt.find((e) => e.method === 'GET' && e.template === e.path)?.path;
  const prefix = plan.exempt.map((e) => /^(\/[^/{}]+)\//.exec(e.template)?.[1]).find((p) => p !== undefined);
  const probes = [`/.${path}`, `//${path.slice(1)}`, path.replace(/^(\/[^/]+)\//, '$1//'), `/${path.slice(1).replace(/\//g, '%2F')}`, path.toUpperCase()];
  if (literal) probes.unshift(withQuery(`next=${literal}`), withQuery(literal), `${literal}/..${path}`, `${literal}%2F..${path}`, `${literal}z`);
  if (prefix) probes.push(`${prefix}/x/../..${path}`, `${prefix}%2F..${path}`);
  return [...new Set(probes)].filter((p) => p !== plan.probe.path);
}

/**
 * Each exempt operation as planned, then the same with a query string (`/health?ref=conformance`):
 * exemptions are matched on the path, so a query string must change nothing.
 */
export function exemptWithQueries(plan: ProbePlan): ProbeOperation[] {
  return plan.exempt.flatMap((op) => [op, { ...op, path: `${op.path}${op.path.includes('?') ? '&' : '?'}ref=conformance` }]);
}
