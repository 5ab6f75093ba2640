import { describe, expect, it } from 'vitest';
import { intText, rateLimitHeaders } from './rate-limit-headers.js';

const NAMES = { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', retryAfter: 'retry-after' };

describe('rateLimitHeaders', () => {
  it('sends limit, remaining and reset in whole seconds rounded up on an allowed response, and no retry-after', () => {
    expect(rateLimitHeaders(NAMES, { allowed: true, limit: 300, remaining: 299, resetMs: 59_001, retryAfterMs: 0 })).toEqual([
      'x-ratelimit-limit',
      '300',
      'x-ratelimit-remaining',
      '299',
      'x-ratelimit-reset',
      '60',
    ]);
  });

  it('shows 0 remaining and adds retry-after on a rejection', () => {
    expect(rateLimitHeaders(NAMES, { allowed: false, limit: 1_000_000_000, remaining: 7, resetMs: 37_200, retryAfterMs: 37_200 })).toEqual([
      'x-ratelimit-limit',
      '1000000000',
      'x-ratelimit-remaining',
      '0',
      'x-ratelimit-reset',
      '38',
      'retry-after',
      '38',
    ]);
  });

  it('sends only the headers the policy names', () => {
    expect(rateLimitHeaders({}, { allowed: false, limit: 5, remaining: 0, resetMs: 1000, retryAfterMs: 1000 })).toEqual([]);
  });
});

describe('intText', () => {
  it.each([0, 1, 299, 4095, 4096, 1_000_000_000, 2 ** 53, -1, 1.5])('reads %d as String() does', (n) => {
    expect(intText(n)).toBe(String(n));
  });
});
