import { describe, expect, it } from 'vitest';
import * as core from './index.js';

describe('ratelimit-contract/core', () => {
  it('exports by name exactly its public surface: no helper leaks in through a re-export', () => {
    expect(Object.keys(core).sort()).toEqual([
      'ALGORITHMS',
      'RateLimitContractError',
      'applyOverrides',
      'buildPrincipalIndex',
      'compilePathPattern',
      'compilePathPatterns',
      'createControllableClock',
      'createKeyResolver',
      'createLimiter',
      'createRejectionBody',
      'createScopeClassifier',
      'findPolicyProblems',
      'formatDurationLong',
      'isUserError',
      'parseDurationMs',
      'parsePolicy',
      'parseRequestTarget',
      'policyJsonSchema',
      'rateLimitHeaders',
      'readEnvOverrides',
      'requireDurationMs',
      'systemClock',
      'toWholeSeconds',
    ]);
  });
});
