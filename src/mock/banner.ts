import { formatDurationLong } from '../core/duration.js';
import { sentHeaderNames } from '../core/headers/header-names.js';
import { limitsFor } from '../core/operation-policy.js';
import type { KeyRule, LimitPolicy, RateLimitPolicy } from '../core/policy.js';
import type { ScopeVerdict } from '../core/scope.js';
import type { PreparedOperation } from '../engine/prepared-responses.js';

export interface BannerInput {
  url: string;
  title: string;
  specFile: string;
  policy: RateLimitPolicy;
  limitSource: string;
  trustProxy: boolean;
  control: { on: boolean; token: boolean };
  operations: readonly PreparedOperation[];
  verdictOf(path: string): ScopeVerdict;
  catalogFrom: string;
  readyMs: number;
  /** Where budgets live: the store's label, or memory. */
  store: string;
}

function keying(key: KeyRule, trustProxy: boolean): string {
  const ip = trustProxy ? 'client IP (left-most X-Forwarded-For, --trust-proxy)' : 'client IP (socket address; X-Forwarded-For ignored)';
  if (key.by === 'ip') return ip;
  const scheme = key.by === 'principal' && key.scheme ? ` ${key.scheme}` : '';
  return `${key.principal} (${key.header}${scheme}), else ${ip}`;
}

const amount = (limit: LimitPolicy, n: number) => `${n} ${limit.unit === 'requests' ? (n === 1 ? 'request' : 'requests') : limit.unit}`;

/** One limit in a line: `burst: 10 requests per 1 second, token-bucket`, its key when it is not `key`'s. */
function describeLimit(limit: LimitPolicy, key: KeyRule, trustProxy: boolean): string {
  const fallback = limit.fallbackLimit === undefined ? '' : ` (${limit.fallbackLimit} unauthenticated)`;
  const cost = typeof limit.cost === 'number' ? (limit.cost === 1 ? '' : `, costs ${limit.cost}`) : `, cost from ${limit.cost.from} ${limit.cost.name}`;
  const keyed = JSON.stringify(limit.key) === JSON.stringify(key) ? '' : `, keyed by ${keying(limit.key, trustProxy)}`;
  const quiet = limit.report ? '' : ', no headers';
  return `${limit.name}: ${amount(limit, limit.limit)}${fallback} per ${formatDurationLong(limit.windowMs)}, ${limit.algorithm}${cost}${keyed}${quiet}`;
}

/** The start-up banner: what is served and how it is limited. */
export function formatBanner(input: BannerInput): string {
  const { policy } = input;
  const [first] = policy.limits as [LimitPolicy];
  const names = sentHeaderNames(policy.headers, policy.limits);
  const style = policy.headers.style === 'named' ? '' : `${policy.headers.style}: `;
  const retrying = policy.limits.filter((l) => l.rejection.retryAfter);
  const retryAfter = names.rejection[0] ? `; ${names.rejection[0]} on ${[...new Set(retrying.map((l) => l.rejection.status))].join('/')}` : '';
  const headerLine = `${style}${names.budget.join(', ') || 'none'}${retryAfter}`;
  const width = Math.max(...input.operations.map((op) => op.path.length));
  const routes = input.operations.map((op) => `    ${op.method.padEnd(6)} ${op.path.padEnd(width)}  ${input.verdictOf(op.path.replace(/\{[^}]+\}/g, 'x'))}`);
  const oneLimit =
    policy.limits.length === 1 && policy.operations.length === 0 && first.fallbackLimit === undefined && first.cost === 1 && first.unit === 'requests';
  const limitLines = oneLimit
    ? [
        `  limit       ${first.limit} requests per ${formatDurationLong(first.windowMs)}, ${first.algorithm} (limit from ${input.limitSource})`,
        `  keyed by    ${keying(first.key, input.trustProxy)}`,
      ]
    : [
        ...policy.limits.map(
          (limit, i) =>
            `  ${i === 0 ? 'limits     ' : '           '} ${describeLimit(limit, first.key, input.trustProxy)}${i === 0 ? ` (limit from ${input.limitSource})` : ''}`,
        ),
        `  keyed by    ${keying(first.key, input.trustProxy)}`,
        ...policy.operations.map((op) => {
          const full = limitsFor(policy, op);
          const own = op.limits.map((entry) => describeLimit(full.find((l) => l.name === entry.name) as LimitPolicy, first.key, input.trustProxy));
          const cost = op.cost === undefined ? '' : `, cost ${typeof op.cost === 'number' ? op.cost : `from ${op.cost.from} ${op.cost.name}`}`;
          return `    ${op.method} ${op.path}: ${op.inherit ? 'the root limits' : 'only its own'}${own.length > 0 ? `; ${own.join('; ')}` : ''}${cost}`;
        }),
      ];
  return [
    `ratelimit-contract mock: ${input.title} (${input.specFile})`,
    `  listening   ${input.url}`,
    ...limitLines,
    `  scope       ${policy.include.join(', ')}`,
    `  exempt      ${policy.exempt.length > 0 ? policy.exempt.join(', ') : 'none'}`,
    `  headers     ${headerLine}`,
    `  store       ${input.store}`,
    `  control     ${input.control.on ? `on at /__ratelimit (${input.control.token ? 'token required' : 'loopback callers only'})` : 'off (--control to enable)'}`,
    ...(input.control.on ? [`  dashboard   ${input.url}/__ratelimit/ui${input.control.token ? ' (it asks for the token)' : ''}`] : []),
    `  responses   rendered by Prism (${input.catalogFrom})`,
    `  routes      ${input.operations.length} operations`,
    ...routes,
    `  ready in ${Math.round(input.readyMs)} ms`,
  ].join('\n');
}
