import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../core/parse-policy.js';
import { singleLimitView } from '../core/single-limit-view.js';
import type { CheckResult } from './conformance-check.js';
import { createCredentialMasker, maskValue, secretHeaderNames } from './mask-credentials.js';

const policy = (key: Record<string, unknown>) =>
  singleLimitView(
    parsePolicy(
      {
        limit: 5,
        window: '2s',
        key,
        scope: { include: ['/**'], exempt: [] },
        headers: {},
        rejection: { status: 429, contentType: 'application/json', body: { error: 'slow down' } },
      },
      'test.yaml',
    ),
  );

describe('secretHeaderNames', () => {
  it("names the policy's key header, the credentials file's headers and what the security schemes send", () => {
    const document = {
      components: {
        securitySchemes: {
          token: { type: 'apiKey', in: 'header', name: 'X-User-Token' },
          session: { type: 'apiKey', in: 'cookie', name: 'sid' },
          basic: { type: 'http', scheme: 'basic' },
          query: { type: 'apiKey', in: 'query', name: 'api_key' },
        },
      },
    };
    const credentials = { principals: [{ id: 'u', credentials: [{ 'X-Tenant-Secret': 's3cr3t-value' }] }] };
    const names = secretHeaderNames(policy({ by: 'header', header: 'X-Custom-Key', principal: 'user' }), document, credentials);
    expect(names).toEqual(expect.arrayContaining(['x-custom-key', 'x-tenant-secret', 'x-user-token', 'cookie', 'authorization']));
    expect(names).not.toContain('api_key');
  });
});

describe('createCredentialMasker', () => {
  const credentials = { principals: [{ id: 'u', credentials: [{ 'x-user-token': 'utok_alice_4f9a2c7e81d3b6a5' }] }] };
  const mask = createCredentialMasker(['x-user-token', 'authorization'], credentials);
  const failed = (text: string): CheckResult => ({
    id: 'spec/x',
    title: 't',
    clause: 'c',
    status: 'failed',
    durationMs: 1,
    failure: {
      summary: `echoed ${text}`,
      expected: 'e',
      actual: 'a',
      exchange: {
        request: { method: 'GET', path: '/x', headers: { 'x-user-token': 'utok_alice_4f9a2c7e81d3b6a5', authorization: 'Bearer abcdefghijklmnop' } },
        response: { status: 401, headers: { 'x-echo': text }, text: `{"token":"${text}"}` },
        sentAtMs: 0,
        receivedAtMs: 1,
        caller: 'u',
      },
    },
  });

  it('masks secret headers by name, and a known credential value wherever it appears', () => {
    const out = JSON.stringify(mask(failed('utok_alice_4f9a2c7e81d3b6a5')));
    expect(out).not.toContain('utok_alice_4f9a2c7e81d3b6a5');
    expect(out).not.toContain('abcdefghijklmnop');
    expect(out).toContain('utok_ali…');
    expect(out).toContain('Bearer abcdefgh…');
  });

  it('masks the requests a passed check recorded (for the HTML report) the same way', () => {
    const passed: CheckResult = {
      id: 'spec/x',
      title: 't',
      clause: 'c',
      status: 'passed',
      durationMs: 1,
      exchanges: {
        total: 1,
        items: [
          {
            sentAtMs: 0,
            receivedAtMs: 1,
            caller: 'u',
            method: 'GET',
            path: '/x?token=utok_alice_4f9a2c7e81d3b6a5',
            headers: { 'x-user-token': 'utok_alice_4f9a2c7e81d3b6a5', authorization: 'Bearer abcdefghijklmnop' },
            status: 200,
            rejected: false,
            rateLimitHeaders: { 'x-echo': 'utok_alice_4f9a2c7e81d3b6a5' },
          },
        ],
      },
    };
    const out = mask(passed);
    expect(JSON.stringify(out)).not.toMatch(/utok_alice_4f9a2c7e81d3b6a5|abcdefghijklmnop/);
    expect(out.exchanges?.items[0]?.headers).toEqual({ 'x-user-token': 'utok_ali…', authorization: 'Bearer abcdefgh…' });
    expect(out.exchanges?.items[0]?.path).toBe('/x?token=utok_ali…');
  });

  it('keeps the scheme and enough of a token to tell keys apart', () => {
    expect(maskValue('Bearer rl_test_acme_primary')).toBe('Bearer rl_test_…');
    expect(maskValue('short')).toBe('sho…');
  });
});
