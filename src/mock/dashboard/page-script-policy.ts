/**
 * The dashboard script's rendering of the policy, as browser JavaScript in a string: read as data from
 * GET /__ratelimit/policy, so that a policy of several named limits, costs and operation policies shows too.
 */
// biome-ignore lint/complexity/noUselessStringRaw: raw like its siblings, so that a backslash added later reaches the browser as written
export const POLICY_SCRIPT = String.raw`
/**
 * A policy's limits: its list when it has one (several named limits, costs, per-operation policies), else
 * its single limit. Fields the page does not know are left to the JSON below, not guessed at.
 */
function limitsOf(policy) {
  if (Array.isArray(policy.limits)) return policy.limits;
  return [{ limit: policy.limit, windowMs: policy.windowMs, algorithm: policy.algorithm, key: policy.key }];
}
function describeCost(cost) {
  if (cost === undefined || cost === 1) return '';
  if (typeof cost === 'number') return cost + ' units a request';
  if (cost && typeof cost === 'object') return 'cost from the ' + cost.from + ' field ' + cost.name + ' (default ' + cost.default + ')';
  return 'cost ' + JSON.stringify(cost);
}
function describeLimit(limit, named) {
  const unit = limit.unit || 'requests';
  const parts = [(named && limit.name ? limit.name + ': ' : '') + limit.limit + ' ' + unit + ' per ' + duration(limit.windowMs) + (limit.algorithm ? ' (' + limit.algorithm + ')' : '')];
  const cost = describeCost(limit.cost);
  if (cost) parts.push(cost);
  if (typeof limit.fallbackLimit === 'number') parts.push(limit.fallbackLimit + ' for callers keyed by IP');
  if (limit.bucket === 'operation') parts.push('a budget per operation');
  if (limit.report === false) parts.push('sends no rate-limit headers');
  return parts.join(', ');
}
function describeKeying(key) {
  if (!key || typeof key !== 'object') return 'unknown';
  if (key.by === 'ip') return 'client IP';
  const scheme = key.scheme ? ' ' + key.scheme : '';
  return (key.principal || key.by) + ' (' + (key.header || '') + scheme + ')' + (key.fallback ? ', else client ' + key.fallback.toUpperCase() : '');
}
/** Who is limited: the policy's key, or each limit's (once each). */
function keyingOf(policy, limits) {
  const keys = policy.key ? [policy.key] : limits.map((limit) => limit.key).filter(Boolean);
  return [...new Set(keys.map(describeKeying))].join('; ') || 'unknown';
}
function headerNamesOf(headers) {
  if (!headers || typeof headers !== 'object') return 'none';
  const names = headers.names && typeof headers.names === 'object' ? headers.names : headers;
  const list = Object.values(names).filter((name) => typeof name === 'string');
  const style = typeof headers.style === 'string' && headers.style !== 'named' ? headers.style + ' fields' : '';
  return [style, list.join(', ')].filter(Boolean).join(': ') || 'none';
}
const codeList = (items) => (items.length === 0 ? 'none' : el('ul', {}, ...items.map((item) => el('li', {}, el('code', { text: item })))));

function drawPolicy() {
  const policy = state.policy;
  if (!policy) return;
  const limits = limitsOf(policy);
  const named = limits.length > 1;
  const keying = keyingOf(policy, limits);
  els.summary.textContent = limits.map((limit) => describeLimit(limit, named)).join('; ') + ', per ' + keying;
  const rows = [
    ['Limits', el('ul', {}, ...limits.map((limit) => el('li', { text: describeLimit(limit, named) })))],
    ['Keyed by', keying],
    ['Limited paths', codeList(policy.include || [])],
    ['Exempt paths', codeList(policy.exempt || [])],
  ];
  if (Array.isArray(policy.operations) && policy.operations.length > 0) {
    const ops = policy.operations.map((op) => {
      const own = (op.limits || []).map((limit) => limit.name).join(', ');
      const cost = describeCost(op.cost);
      return op.method + ' ' + op.path + (own ? ': limits ' + own : '') + (cost ? (own ? '; ' : ': ') + cost : '') + (op.inherit === false ? ' (root limits off)' : '');
    });
    rows.push(['Operations', codeList(ops)]);
  }
  rows.push(['Headers', headerNamesOf(policy.headers)]);
  rows.push(['Rejection', policy.rejection ? policy.rejection.status + ' (' + policy.rejection.contentType + ')' : '—']);
  const dl = el('dl', { class: 'policy' });
  for (const [term, value] of rows) dl.append(el('dt', { text: term }), el('dd', {}, value));
  const details = el('details', {}, el('summary', { text: 'The whole policy (JSON)' }), el('pre', { text: JSON.stringify(policy, null, 2) }));
  els.policy.replaceChildren(dl, details);
}
`;
