import { describe, expect, it } from 'vitest';
import { delayed, describeStep, passThrough, rateLimited, replyWith, scriptLabel, serverError, stepFromJson } from './scripted-steps.js';

describe('stepFromJson: the control API JSON of the one step vocabulary', () => {
  it.each([
    [{ kind: 'rate-limited', times: 2, retryAfterSeconds: 5 }, rateLimited(2, { retryAfterSeconds: 5 })],
    [{ kind: 'server-error', status: 503, body: { busy: true } }, serverError(1, 503, { busy: true })],
    [{ kind: 'pass', latencyMs: 250 }, delayed(250)],
    [{ kind: 'pass' }, passThrough()],
    [{ kind: 'reply', status: 418, body: 'teapot', headers: { 'x-a': 'b' }, times: 3 }, replyWith(418, 'teapot', { 'x-a': 'b' }, 3)],
    // The control API's first words, still read.
    [{ kind: 'status-429', count: 2 }, rateLimited(2)],
    [{ kind: 'status-500' }, serverError(1, 500)],
    [{ kind: 'latency', count: 1, latencyMs: 500 }, delayed(500)],
  ])('%j', (json, step) => {
    expect(stepFromJson(json)).toEqual(step);
  });

  it.each([
    [{}, /"kind" must be one of rate-limited, server-error, pass, reply/],
    [{ kind: 'bogus' }, /"kind" must be one of/],
    [{ kind: 'pass', times: 0 }, /"times" must be a whole number ≥ 1/],
    [{ kind: 'pass', count: 1.5 }, /"times"/],
    [{ kind: 'pass', latencyMs: -1 }, /"latencyMs" must be a whole number from 0 to 60000/],
    [{ kind: 'pass', latencyMs: 600_000 }, /"latencyMs"/],
    [{ kind: 'rate-limited', retryAfterSeconds: 'soon' }, /"retryAfterSeconds" must be a whole number of seconds/],
    [{ kind: 'server-error', status: 404 }, /"status" must be a status code \(500–599\)/],
    [{ kind: 'reply' }, /"status" must be a status code \(200–599\)/],
    [{ kind: 'reply', status: 200, headers: { 'x-a': 'b\r\nset-cookie: x' } }, /"headers" must be an object of header names to string values \(no CR or LF\)/],
    [{ kind: 'reply', status: 200, headers: { 'bad name': 'b' } }, /"headers"/],
    [{ kind: 'reply', status: 200, headers: ['x'] }, /"headers"/],
  ])('refuses %j with a reason', (json, reason) => {
    expect(stepFromJson(json as Record<string, unknown>)).toMatch(reason);
  });
});

describe('step names', () => {
  it('describes steps for pending lists and labels them for the attempt log', () => {
    expect([rateLimited(3), serverError(1, 503), delayed(2000), passThrough(2)].map((s) => describeStep(s))).toEqual([
      '429 ×3',
      '503 ×1',
      'pass +2000ms ×1',
      'pass ×2',
    ]);
    expect([rateLimited(), serverError(), replyWith(418), delayed(5), passThrough(), undefined].map(scriptLabel)).toEqual([
      '429',
      '500',
      '418',
      '+5ms',
      undefined,
      undefined,
    ]);
  });
});
