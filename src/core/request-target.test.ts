import { describe, expect, it } from 'vitest';
import { parseRequestTarget } from './request-target.js';
import { createScopeClassifier } from './scope.js';

const reconlayer = createScopeClassifier({ include: ['/**'], exempt: ['/health', '/openapi.json', '/docs', '/docs/**', '/webhooks/**'] });
const authmatech = createScopeClassifier({ include: ['/v1/api/**'], exempt: [] });
const verdict = (classify: typeof reconlayer, target: string) => classify(parseRequestTarget(target));

describe('parseRequestTarget', () => {
  it('keeps a clean path clean and splits the query', () => {
    expect(parseRequestTarget('/v1/payment-intents?limit=25')).toEqual({
      rawPath: '/v1/payment-intents',
      path: '/v1/payment-intents',
      query: 'limit=25',
      clean: true,
    });
  });
  it.each(['/./health', '/v1/../health', '//health', '/h%65alth', '/health;x=1', '/health%2F', 'http://x/health', '/docs/\u00e9'])(
    '%j is not clean',
    (target) => {
      expect(parseRequestTarget(target).clean).toBe(false);
    },
  );
  it('resolves dot segments and decodes unreserved escapes, never %2F', () => {
    expect(parseRequestTarget('/v1/x/../payment-intents').path).toBe('/v1/payment-intents');
    expect(parseRequestTarget('/h%65alth').path).toBe('/health');
    expect(parseRequestTarget('/a%2Fb').path).toBe('/a%2Fb');
  });
});

describe('scope', () => {
  it.each(['/health', '/openapi.json', '/docs', '/docs/intro', '/docs/a/b', '/webhooks/stripe'])('exempts %s', (path) => {
    expect(verdict(reconlayer, path)).toBe('exempt');
  });
  it.each([
    '/healthz',
    '/docsx',
    '/webhooks',
    '/HEALTH',
    '/health/',
    '//health',
    '/./health',
    '/v1/../health',
    '/h%65alth',
    '/v1/payment-intents?next=/health',
    '/v1/payment-intents#/health',
    'http://127.0.0.1/health',
    '/health;a=b',
    '/webhooks/../v1/payment-intents',
  ])('limits the near miss %s', (path) => {
    expect(verdict(reconlayer, path)).toBe('limited');
  });
  it('counts every depth of /v1/api/** and nothing outside it (Authmatech)', () => {
    expect(verdict(authmatech, '/v1/api/identity/verify')).toBe('limited');
    expect(verdict(authmatech, '/v1/api/a/b/c/d')).toBe('limited');
    expect(verdict(authmatech, '/v1/status')).toBe('unlimited');
    expect(verdict(authmatech, '/health')).toBe('unlimited');
  });
  it('counts tricks that could route into /v1/api', () => {
    for (const path of ['/V1/API/identity/verify', '/v1//api/identity', '/v1/x/../api/identity', '/v1%2Fapi/identity', '/v1/%61pi/identity']) {
      expect(verdict(authmatech, path), path).toBe('limited');
    }
  });
});
