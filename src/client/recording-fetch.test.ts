import { afterEach, expect, test } from 'vitest';
import { createRecordingFetch } from './recording-fetch.js';
import { findRetryViolations } from './retry-assertions.js';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

/** A stand-in server: answers in a later turn, as the network would, from a queue of statuses. */
function fakeServer(statuses: number[]) {
  return async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return new Response('{}', { status: statuses.shift() ?? 200 });
  };
}

test('installed as globalThis.fetch it records and calls the fetch that was global before, instead of itself', async () => {
  globalThis.fetch = fakeServer([202]) as typeof fetch;
  const recording = createRecordingFetch();
  globalThis.fetch = recording.fetch as typeof fetch;
  const res = await fetch('https://x.test/v1/x');
  expect(res.status).toBe(202);
  expect(recording.attempts.map((a) => [a.seq, a.path, a.status])).toEqual([[1, '/v1/x', 202]]);
});

test('with no other fetch to call it fails at once with a message that says what to pass, instead of recursing', async () => {
  globalThis.fetch = undefined as unknown as typeof fetch;
  const recording = createRecordingFetch();
  globalThis.fetch = recording.fetch as typeof fetch;
  await expect(fetch('https://x.test/v1/x')).rejects.toThrow('Failed to record the request: globalThis.fetch is this recording fetch');
});

test('parallel calls keep their arrival order and note causal order, so a fan-out is not read as a retry', async () => {
  const recording = createRecordingFetch({ fetch: fakeServer([200, 429, 429]) as typeof fetch });
  await Promise.all(['/a', '/b', '/b'].map((path) => recording.fetch(`https://x.test${path}`)));
  expect(recording.attempts.map((a) => [a.seq, a.path])).toEqual([
    [1, '/a'],
    [2, '/b'],
    [3, '/b'],
  ]);
  const [, second, third] = recording.attempts;
  expect((third?.sentOrder ?? 0) < (second?.answeredOrder ?? 0)).toBe(true);
  expect(findRetryViolations(recording.attempts, 'reconlayer').map((v) => v.check)).toEqual(['429-not-retried', '429-not-retried']);
});
