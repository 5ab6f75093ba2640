import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../core/parse-policy.js';
import { singleLimitView } from '../core/single-limit-view.js';
import { loadSpec } from '../openapi/load-spec.js';
import { profileFiles } from '../openapi/profiles.js';
import { bypassProbes, planProbes } from './probe-plan.js';

const load = (name: string) => {
  const spec = loadSpec(profileFiles(name).spec);
  return { document: spec.document, policy: singleLimitView(parsePolicy(spec.document['x-rate-limit'], spec.source)) };
};

describe('planProbes', () => {
  it('probes ReconLayer on its first limited GET, and one request per exempt pattern taken from the spec', () => {
    const { document, policy } = load('reconlayer');
    const plan = planProbes(document, policy);
    expect(plan.probe).toMatchObject({ method: 'GET', path: '/v1/payment-intents', template: '/v1/payment-intents' });
    expect(plan.exempt.map((e) => `${e.method} ${e.path}`)).toEqual([
      'GET /health',
      'GET /openapi.json',
      'GET /openapi.yaml',
      'GET /docs',
      'GET /docs/quickstart',
      'POST /webhooks/stripe',
    ]);
    expect(plan.exempt.at(-1)?.body).toBe('{"id":"evt_1","type":"payment_intent.succeeded"}');
    expect(plan.outOfScope).toEqual([]);
  });
  it('splits Authmatech into the /v1/api/** operations and the ones outside it', () => {
    const { document, policy } = load('authmatech');
    const plan = planProbes(document, policy);
    expect(plan.probe.path).toBe('/v1/api/portal/analytics/usage');
    expect(plan.inScope.map((o) => `${o.method} ${o.path}`)).toEqual([
      'GET /v1/api/portal/analytics/usage',
      'POST /v1/api/identity/verify',
      'GET /v1/api/identity/sessions/ses_8f2c1a',
      'POST /v1/api/connect/imports',
      'GET /v1/api/connect/imports/imp_51b7e0',
    ]);
    expect(plan.outOfScope.map((o) => o.path)).toEqual(['/health', '/v1/status']);
  });
  it('takes a path (and matches it to the spec operation); a bad one is named as passed', () => {
    const { document, policy } = load('reconlayer');
    expect(planProbes(document, policy, { path: '/v1/payment-intents/pi_1' }).probe).toMatchObject({ template: '/v1/payment-intents/{id}' });
    expect(() => planProbes(document, policy, { path: 'v1/x' })).toThrow(/the path option: "v1\/x" does not start with "\/"/);
    expect(() => planProbes(document, policy, { path: 'v1/x', spelling: 'flags' })).toThrow(/--path: "v1\/x" does not start with "\/".*e\.g\. --path \/v1/);
  });
});

describe('bypassProbes', () => {
  it('builds near misses and tricks that reach the limited route or nothing', () => {
    const { document, policy } = load('reconlayer');
    expect(bypassProbes(planProbes(document, policy))).toEqual([
      '/v1/payment-intents?next=/health',
      '/v1/payment-intents?/health',
      '/health/../v1/payment-intents',
      '/health%2F../v1/payment-intents',
      '/healthz',
      '/./v1/payment-intents',
      '//v1/payment-intents',
      '/v1//payment-intents',
      '/v1%2Fpayment-intents',
      '/V1/PAYMENT-INTENTS',
      '/docs/x/../../v1/payment-intents',
      '/docs%2F../v1/payment-intents',
    ]);
  });
});
