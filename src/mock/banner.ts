import { formatDurationLong } from '../core/duration.js';
import type { RateLimitPolicy } from '../core/policy.js';
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
}

function keying(policy: RateLimitPolicy, trustProxy: boolean): string {
  const ip = trustProxy ? 'client IP (left-most X-Forwarded-For, --trust-proxy)' : 'client IP (socket address; X-Forwarded-For ignored)';
  if (policy.key.by === 'ip') return ip;
  const scheme = policy.key.by === 'principal' && policy.key.scheme ? ` ${policy.key.scheme}` : '';
  return `${policy.key.principal} (${policy.key.header}${scheme}), else ${ip}`;
}

/** The start-up banner: what is served and how it is limited. */
export function formatBanner(input: BannerInput): string {
  const { policy } = input;
  const headerNames = [policy.headers.limit, policy.headers.remaining, policy.headers.reset].filter(Boolean).join(', ');
  const width = Math.max(...input.operations.map((op) => op.path.length));
  const routes = input.operations.map((op) => `    ${op.method.padEnd(6)} ${op.path.padEnd(width)}  ${input.verdictOf(op.path.replace(/\{[^}]+\}/g, 'x'))}`);
  return [
    `ratelimit-contract mock: ${input.title} (${input.specFile})`,
    `  listening   ${input.url}`,
    `  limit       ${policy.limit} requests per ${formatDurationLong(policy.windowMs)}, ${policy.algorithm} (limit from ${input.limitSource})`,
    `  keyed by    ${keying(policy, input.trustProxy)}`,
    `  scope       ${policy.include.join(', ')}`,
    `  exempt      ${policy.exempt.length > 0 ? policy.exempt.join(', ') : 'none'}`,
    `  headers     ${headerNames || 'none'}${policy.headers.retryAfter ? `; ${policy.headers.retryAfter} on ${policy.rejection.status}` : ''}`,
    `  control     ${input.control.on ? `on at /__ratelimit (${input.control.token ? 'token required' : 'loopback callers only'})` : 'off (--control to enable)'}`,
    ...(input.control.on ? [`  dashboard   ${input.url}/__ratelimit/ui${input.control.token ? ' (it asks for the token)' : ''}`] : []),
    `  responses   rendered by Prism (${input.catalogFrom})`,
    `  routes      ${input.operations.length} operations`,
    ...routes,
    `  ready in ${Math.round(input.readyMs)} ms`,
  ].join('\n');
}
