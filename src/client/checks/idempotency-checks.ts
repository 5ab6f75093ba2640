import type { RecordedAttempt } from '../attempt.js';
import { IDEMPOTENT_METHODS } from '../request-parts.js';
import type { RetryChain } from '../retry-chains.js';
import type { RetryRuleSet } from '../retry-rules.js';
import { idempotencyKeyOf } from '../retry-waits.js';
import { label, type RetryCheck, type RetryFinding } from './retry-check.js';

/** Retried chains of writes (non-idempotent methods) with their keys. */
function retriedWrites(chains: readonly RetryChain[], rules: RetryRuleSet) {
  return chains
    .filter((chain) => chain.length > 1 && !IDEMPOTENT_METHODS.has((chain[0] as RecordedAttempt).method))
    .map((chain) => ({ chain, first: chain[0] as RecordedAttempt, keys: chain.map((a) => idempotencyKeyOf(a, rules)), seqs: chain.map((a) => a.seq) }));
}

function writeCheck(
  id: RetryCheck['id'],
  catches: string,
  fix: string,
  find: (write: ReturnType<typeof retriedWrites>[number], header: string) => RetryFinding[],
): RetryCheck {
  return {
    id,
    catches,
    fix,
    source: 'the rules’ idempotencyHeader',
    appliesTo: (rules) => rules.idempotencyHeader !== undefined,
    find: ({ chains, rules }) => retriedWrites(chains, rules).flatMap((write) => find(write, rules.idempotencyHeader ?? 'idempotency-key')),
  };
}

/** A write retried with no idempotency key on some attempt. */
export const writeRetriedWithoutKey = writeCheck(
  'non-idempotent-retry-without-key',
  'a POST or PATCH retried with no idempotency key, so the server cannot tell the retry from a second write',
  'set one Idempotency-Key per logical write before the first attempt and send it on every retry, or do not retry the write',
  ({ chain, first, keys, seqs }, header) => {
    const missing = keys.filter((k) => k === undefined).length;
    return missing === 0 ? [] : [{ message: `${label(first)} was retried ${chain.length - 1} time(s) with no ${header} on ${missing} attempt(s)`, seqs }];
  },
);

/** A write retried under a new idempotency key (same body). */
export const idempotencyKeyChanged = writeCheck(
  'idempotency-key-changed',
  'a write retried under a new idempotency key, which the server treats as a second write',
  'generate the key once per logical write, outside the retry loop, and reuse it on every retry',
  ({ first, keys, seqs }) => {
    const distinct = [...new Set(keys)];
    if (keys.includes(undefined) || distinct.length < 2) return [];
    return [{ message: `${label(first)} changed its key across retries (${distinct.join(', ')})`, seqs }];
  },
);

/** A write retried with a changed body under one key. */
export const retryBodyChanged = writeCheck(
  'retry-body-changed',
  'a write retried with a different body under the same key (a timestamp or nonce re-serialized per attempt)',
  'serialize the body once, outside the retry loop, and resend the same bytes',
  ({ chain, first, seqs }) =>
    new Set(chain.map((a) => a.bodySha256 ?? '')).size > 1 ? [{ message: `${label(first)} changed its body across retries under one key`, seqs }] : [],
);
