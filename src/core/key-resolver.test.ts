import { describe, expect, it } from 'vitest';
import { createKeyResolver } from './key-resolver.js';

const principals = new Map([
  ['tok_a1', 'org_a'],
  ['tok_a2', 'org_a'],
  ['tok_b', 'org_b'],
]);
const byOrg = createKeyResolver({ by: 'principal', header: 'authorization', scheme: 'Bearer', principal: 'organization', fallback: 'ip' }, { principals });

describe('key resolution', () => {
  it('keys every credential of one organization to one budget', () => {
    expect(byOrg({ authorization: 'Bearer tok_a1' }, '10.0.0.1')).toBe('organization:org_a');
    expect(byOrg({ authorization: 'bearer tok_a2' }, '10.0.0.2')).toBe('organization:org_a');
    expect(byOrg({ authorization: 'Bearer tok_b' }, '10.0.0.1')).toBe('organization:org_b');
  });
  it.each([
    ['missing', {}],
    ['empty', { authorization: '' }],
    ['unknown', { authorization: 'Bearer nope' }],
    ['wrong scheme', { authorization: 'Basic tok_a1' }],
    ['oversized', { authorization: `Bearer ${'x'.repeat(5000)}` }],
  ])('falls back to the IP for a %s credential', (_name, headers) => {
    expect(byOrg(headers, '::ffff:192.0.2.7')).toBe('ip:192.0.2.7');
  });
  it('ignores X-Forwarded-For unless trustProxy is on', () => {
    expect(byOrg({ 'x-forwarded-for': '203.0.113.9' }, '127.0.0.1')).toBe('ip:127.0.0.1');
    const trusting = createKeyResolver({ by: 'ip' }, { trustProxy: true });
    expect(trusting({ 'x-forwarded-for': '203.0.113.9, 10.0.0.1' }, '127.0.0.1')).toBe('ip:203.0.113.9');
    expect(trusting({ 'x-forwarded-for': 'not-an-ip' }, '127.0.0.1')).toBe('ip:127.0.0.1');
  });
  it('keys Authmatech by known X-CLIENT-ID values only', () => {
    const byClient = createKeyResolver(
      { by: 'header', header: 'x-client-id', principal: 'client', fallback: 'ip' },
      { principals: new Map([['client_alpha', 'client_alpha']]) },
    );
    expect(byClient({ 'x-client-id': 'client_alpha' }, '1.1.1.1')).toBe('client:client_alpha');
    expect(byClient({ 'x-client-id': 'made_up' }, '1.1.1.1')).toBe('ip:1.1.1.1');
    expect(byClient({ 'x-client-id': ['client_alpha', 'client_alpha'] }, '1.1.1.1')).toBe('ip:1.1.1.1');
  });
  it.each(['Bearer tok_a1', 'bearer tok_a1', 'BEARER tok_a1', ' Bearer tok_a1 ', 'Bearer  tok_a1', 'Bearer tok_a1\t'])(
    'keys the spelling %j like the exact one',
    (authorization) => {
      expect(byOrg({ authorization }, '10.0.0.1')).toBe('organization:org_a');
    },
  );
  it('never resolves a known credential over 256 characters, in any spelling', () => {
    const long = 't'.repeat(250);
    const resolver = createKeyResolver(
      { by: 'principal', header: 'authorization', scheme: 'Bearer', principal: 'organization', fallback: 'ip' },
      { principals: new Map([[long, 'org_long']]) },
    );
    expect(resolver({ authorization: `Bearer ${long}` }, '10.0.0.9')).toBe('ip:10.0.0.9');
    expect(resolver({ authorization: `bearer ${long}` }, '10.0.0.9')).toBe('ip:10.0.0.9');
  });
});
