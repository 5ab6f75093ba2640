import { describe, expect, it } from 'vitest';
import { parseRequestTarget, type RequestTarget } from '../core/request-target.js';
import { createScopeClassifier } from '../core/scope.js';
import { createTargetCache } from './target-cache.js';

const classify = createScopeClassifier({ include: ['/**'], exempt: ['/health', '/docs', '/docs/**'] });

function counting() {
  const seen: string[] = [];
  const cache = createTargetCache((target: RequestTarget) => {
    seen.push(target.rawPath);
    return classify(target);
  }, 3);
  return { cache, seen };
}

describe('createTargetCache', () => {
  it.each(['/health', '/health/', '//health', '/h%65alth', '/v1/../health', '/docs/a?x=/health', 'http://h/health', '/HEALTH', '/v1/payment-intents'])(
    'answers %s exactly as parsing and classifying it afresh, twice',
    (url) => {
      const { cache } = counting();
      const expected = { target: parseRequestTarget(url), verdict: classify(parseRequestTarget(url)) };
      expect(cache(url)).toEqual(expected);
      expect(cache(url)).toEqual(expected);
    },
  );

  it('classifies a repeated target once', () => {
    const { cache, seen } = counting();
    for (let i = 0; i < 5; i++) cache('/v1/payment-intents');
    expect(seen).toEqual(['/v1/payment-intents']);
  });

  it('does not remember long targets', () => {
    const { cache, seen } = counting();
    const long = `/v1/${'a'.repeat(300)}`;
    cache(long);
    cache(long);
    expect(seen).toHaveLength(2);
  });

  it('holds at most its capacity, starting over when full', () => {
    const { cache, seen } = counting();
    for (const url of ['/a', '/b', '/c', '/d', '/a']) cache(url);
    // capacity 3: /d cleared the cache, so /a is classified again
    expect(seen).toEqual(['/a', '/b', '/c', '/d', '/a']);
  });
});
