import { describe, expect, it } from 'vitest';
import * as core from './index.js';

describe('ratelimit-contract/core', () => {
  it('exports by name exactly its public surface: no helper leaks in through a re-export', () => {
    expect(Object.keys(core).sort()).toEqual([
      'ALGORITHMS',
      'DEFAULT_HEADER_NAMES',
      'RateLimitContractError',
      'applyOverrides',
      'buildPrincipalIndex',
      'compilePathPattern',
      'compilePathPatterns',
      'createControllableClock',
      'createCostReader',
      'createHeaderWriter',
      'createKeyResolver',
      'createLimiter',
      'createRejectionBody',
      'createScopeClassifier',
      'detectRateLimitHeaders',
      'findOperationPolicyProblems',
      'findPolicyProblems',
      'formatDurationLong',
      'formatDurationText',
      'headerGetter',
      'isUserError',
      'limitsFor',
      'operationPolicyOf',
      'parseDurationMs',
      'parseDurationText',
      'parseOperationPolicy',
      'parsePolicy',
      'parseRequestTarget',
      'policyJsonSchema',
      'readEnvOverrides',
      'readRateLimitHeaders',
      'readRetryAfter',
      'requireDurationMs',
      'sentHeaderNames',
      'singleLimitView',
      'storeRule',
      'summariseReading',
      'systemClock',
      'toWholeSeconds',
    ]);
  });
});
