import { formatDurationLong } from '../../core/duration.js';
import type { RateLimitPolicy } from '../../core/policy.js';
import { type SingleLimitView, singleLimitView } from '../../core/single-limit-view.js';
import { type AppliedLimit, capacity, effectiveLimit, type PolicyLimits } from './limit-model.js';

/**
 * The checks that spend one budget on the probe (the exact limit, connections, exemptions, bypass probes,
 * keying, the late window) hold the server to one limit: the one that runs out first there. With several
 * limits, it is that limit as a one-limit view, its plain-number headers left to the per-limit checks;
 * `unsupported` says why those checks cannot run (a cost other than one, or another limit that would run
 * out during them).
 */
export function probeView(
  policy: RateLimitPolicy,
  limits: PolicyLimits,
  principals: boolean,
): { view: SingleLimitView; unsupported?: string; decider?: AppliedLimit } {
  const probe = limits.operations[0];
  const first = singleLimitView(policy);
  if (!probe) return { view: first, unsupported: 'the spec has no limited operation' };
  const byIp = (a: AppliedLimit) => !principals || a.limit.key.by === 'ip';
  const caps = probe.limits.map((a) => capacity(effectiveLimit(a.limit, byIp(a)), a.cost));
  let d = 0;
  for (const [i, cap] of caps.entries()) if (cap < (caps[d] ?? Number.POSITIVE_INFINITY)) d = i;
  const decider = probe.limits[d] as AppliedLimit;
  const cap = caps[d] as number;
  const limit = { ...decider.limit, limit: effectiveLimit(decider.limit, byIp(decider)), cost: 1 };
  const reordered: RateLimitPolicy = { ...policy, limits: [limit, ...policy.limits.filter((l) => l.name !== limit.name)], operations: [] };
  const view: SingleLimitView = { ...singleLimitView(reordered), policy };
  view.headers = view.headers.retryAfter ? { retryAfter: view.headers.retryAfter } : {};
  if (!Number.isFinite(cap)) return { view, decider, unsupported: `no limit refuses ${probe.label} (every cost there is 0)` };
  if (decider.cost !== 1)
    return {
      view,
      decider,
      unsupported: `${decider.limit.name}, the limit that runs out first on ${probe.label}, costs ${decider.cost} per request there (the per-limit checks count costs)`,
    };
  for (const [i, other] of probe.limits.entries()) {
    const room = caps[i] as number;
    if (i === d || other.limit.windowMs <= decider.limit.windowMs || room >= 4 * cap + 8) continue;
    return {
      view,
      decider,
      unsupported: `${other.limit.name} (${room} requests per ${formatDurationLong(other.limit.windowMs)} on ${probe.label}) leaves too little room beyond ${decider.limit.name} (${cap} per ${formatDurationLong(decider.limit.windowMs)}) for checks that spend several of its windows on one budget; the per-limit checks cover both`,
    };
  }
  return { view, decider };
}
