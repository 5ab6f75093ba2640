import type { BudgetAlgorithm } from '../decision.js';
import type { Algorithm } from '../policy.js';
import { fixedWindow } from './fixed-window.js';
import { slidingWindow } from './sliding-window.js';
import { tokenBucket } from './token-bucket.js';

/** The algorithms by name, as the policy and `--algorithm` spell them. */
export const ALGORITHMS: Record<Algorithm, BudgetAlgorithm<unknown>> = {
  'fixed-window': fixedWindow as BudgetAlgorithm<unknown>,
  'sliding-window': slidingWindow as BudgetAlgorithm<unknown>,
  'token-bucket': tokenBucket as BudgetAlgorithm<unknown>,
};
