import { expect, test } from 'vitest';
import type { RecordedAttempt } from './attempt.js';
import { assertRetryLog, RetryLogError } from './retry-assertions.js';

// A client that retried a 429 every 500 ms, 65 times: 66 attempts, 65 findings.
const hammering: RecordedAttempt[] = Array.from({ length: 66 }, (_, i) => ({
  seq: i + 1,
  atMs: i * 500,
  respondedAtMs: i * 500,
  method: 'GET',
  url: 'https://x.test/v1/x',
  path: '/v1/x',
  headers: {},
  status: i === 65 ? 200 : 429,
}));

function messageOf(attempts: readonly RecordedAttempt[]): string {
  try {
    assertRetryLog(attempts, 'authmatech');
  } catch (error) {
    if (error instanceof RetryLogError) return error.message;
    throw error;
  }
  throw new Error('expected the log to fail');
}

test('a log of 66 attempts is summarised: three findings per check, cited attempts, gaps folded with their statuses', () => {
  const message = messageOf(hammering);
  const lines = message.split('\n');
  expect(lines.length).toBeLessThan(40);
  expect(message).toContain('✗ backoff-too-fast (65 findings): retry 1 (#2 GET /v1/x) waited 500 ms after a 429');
  expect(message).toContain('… and 62 more like it.');
  expect(message).toContain('Attempts (66; the first and last three and those cited above):');
  expect(message).toMatch(/ {2}… \d+ more \(#\d+–#\d+\): 429 ×\d+/);
  expect(message).toContain('#66  +32500ms  GET /v1/x → 200');
  expect(lines.filter((line) => /^ {2}#\d+ /.test(line)).length).toBeLessThanOrEqual(12);
});

test('a short log is printed whole', () => {
  const message = messageOf(hammering.slice(0, 4));
  expect(message).toContain('Attempts (4):');
  expect(message.split('\n').filter((line) => /^ {2}#\d+ /.test(line))).toHaveLength(4);
});
