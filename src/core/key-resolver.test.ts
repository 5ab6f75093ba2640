import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../mock/authenticate.js';
import { createKeyResolver } from './key-resolver.js';
import type { KeyRule } from './policy.js';
import { buildPrincipalIndex } from './principal-index.js';

const ORGS = {
  principals: [
    { id: 'org_a', credentials: [{ authorization: 'Bearer tok_a1' }, { authorization: 'Bearer tok_a2' }] },
    { id: 'org_b', credentials: [{ authorization: 'Bearer tok_b' }] },
  ],
};
const BY_ORG: KeyRule = { by: 'principal', header: 'authorization', scheme: 'Bearer', principal: 'organization', fallback: 'ip' };
const byOrg = createKeyResolver(BY_ORG, { principals: buildPrincipalIndex(BY_ORG, ORGS) });

const CLIENTS = {
  principals: [
    { id: 'client_alpha', credentials: [{ 'X-Client-Id': 'client_alpha', 'X-API-KEY': 'am_alpha_key' }] },
    { id: 'client_beta', credentials: [{ 'x-client-id': 'client_beta', 'x-api-key': 'am_beta_key' }] },
  ],
};
const BY_CLIENT: KeyRule = { by: 'header', header: 'x-client-id', principal: 'client', fallback: 'ip' };
const byClient = createKeyResolver(BY_CLIENT, { principals: buildPrincipalIndex(BY_CLIENT, CLIENTS) });

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
    ['case-changed token (token68 is case-sensitive)', { authorization: 'Bearer TOK_A1' }],
    ['a trailing no-break space (not OWS: part of the token, which cannot hold it)', { authorization: 'Bearer tok_a1\u00a0' }],
    ['a tab between scheme and token (RFC 9110 allows SP only)', { authorization: 'Bearer\ttok_a1' }],
    ['no space between scheme and token', { authorization: 'Bearertok_a1' }],
    ['two tokens', { authorization: 'Bearer tok_a1 tok_b' }],
    ['a duplicated header', { authorization: ['Bearer tok_a1', 'Bearer tok_a1'] }],
  ])('falls back to the IP for a %s credential', (_name, headers) => {
    expect(byOrg(headers, '::ffff:192.0.2.7')).toBe('ip:192.0.2.7');
  });
  it.each(['Bearer tok_a1', 'bearer tok_a1', 'BEARER tok_a1', 'bEaReR tok_a1', ' Bearer tok_a1 ', 'Bearer  tok_a1', 'Bearer   tok_a1', 'Bearer tok_a1\t'])(
    'keys the spelling %j like the exact one (RFC 9110: scheme case-insensitive, 1*SP, OWS around the value)',
    (authorization) => {
      expect(byOrg({ authorization }, '10.0.0.1')).toBe('organization:org_a');
    },
  );
  it('keys a known credential of any length by its principal: the key is the id, never the value', () => {
    const long = 't'.repeat(2000);
    const file = { principals: [{ id: 'org_long', credentials: [{ authorization: `Bearer ${long}` }] }] };
    const resolver = createKeyResolver(BY_ORG, { principals: buildPrincipalIndex(BY_ORG, file) });
    expect(resolver({ authorization: `bearer ${long}` }, '10.0.0.9')).toBe('organization:org_long');
    expect(resolver({ authorization: `Bearer ${long}x` }, '10.0.0.9')).toBe('ip:10.0.0.9');
  });
  it('ignores X-Forwarded-For unless trustProxy is on', () => {
    expect(byOrg({ 'x-forwarded-for': '203.0.113.9' }, '127.0.0.1')).toBe('ip:127.0.0.1');
    const trusting = createKeyResolver({ by: 'ip' }, { trustProxy: true });
    expect(trusting({ 'x-forwarded-for': '203.0.113.9, 10.0.0.1' }, '127.0.0.1')).toBe('ip:203.0.113.9');
    expect(trusting({ 'x-forwarded-for': 'not-an-ip' }, '127.0.0.1')).toBe('ip:127.0.0.1');
  });
});

describe('budget theft by client id (Authmatech: X-CLIENT-ID with its X-API-KEY)', () => {
  it('charges a client only when the request authenticates as it: id and key together', () => {
    expect(byClient({ 'x-client-id': 'client_alpha', 'x-api-key': 'am_alpha_key' }, '1.1.1.1')).toBe('client:client_alpha');
    expect(byClient({ 'x-client-id': '  client_alpha ', 'x-api-key': 'am_alpha_key' }, '1.1.1.1')).toBe('client:client_alpha');
  });
  it.each([
    ['a wrong API key', { 'x-client-id': 'client_alpha', 'x-api-key': 'wrong' }],
    ['no API key', { 'x-client-id': 'client_alpha' }],
    ["another client's key", { 'x-client-id': 'client_alpha', 'x-api-key': 'am_beta_key' }],
    ['the key alone', { 'x-api-key': 'am_alpha_key' }],
    ['a made-up id', { 'x-client-id': 'made_up', 'x-api-key': 'am_alpha_key' }],
    ['a duplicated id', { 'x-client-id': ['client_alpha', 'client_alpha'], 'x-api-key': 'am_alpha_key' }],
  ])('keys %s by the IP, never by the client id', (_name, headers) => {
    expect(byClient(headers, '198.51.100.7')).toBe('ip:198.51.100.7');
  });
  it('without a credentials file it cannot authenticate: by: header keys by the value as sent (documented)', () => {
    const byValue = createKeyResolver(BY_CLIENT);
    expect(byValue({ 'x-client-id': 'anything' }, '1.1.1.1')).toBe('client:anything');
    expect(byValue({ 'x-client-id': ' ' }, '1.1.1.1')).toBe('ip:1.1.1.1');
    expect(byValue({ 'x-client-id': 'c'.repeat(257) }, '1.1.1.1')).toBe('ip:1.1.1.1');
    expect(createKeyResolver(BY_ORG)({ authorization: 'Bearer tok_a1' }, '1.1.1.1')).toBe('ip:1.1.1.1');
  });
});

describe('the key resolver and the authenticator read a credential the same way', () => {
  const authenticate = createAuthenticator(ORGS);
  const spelling = fc
    .tuple(
      fc.constantFrom('', ' ', '\t', '\u00a0'),
      fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic', 'Bear', 'Token'),
      fc.constantFrom(' ', '  ', '\t', '', '\u00a0', ' \u00a0'),
      fc.constantFrom('tok_a1', 'tok_a2', 'tok_b', 'TOK_A1', 'tok_a1=', 'tok a1', 'tok_a1,x', 'nope'),
      fc.constantFrom('', ' ', '\t', '\u00a0', '\u3000', '\r'),
    )
    .map((parts) => parts.join(''));
  it('keys a request to an organization exactly when it authenticates as that organization', () => {
    fc.assert(
      fc.property(spelling, (authorization) => {
        const key = byOrg({ authorization }, '192.0.2.1');
        const principal = authenticate({ authorization });
        expect(key, JSON.stringify(authorization)).toBe(principal === undefined ? 'ip:192.0.2.1' : `organization:${principal}`);
      }),
      { numRuns: 2000, seed: 20261201 },
    );
  });
  it('authenticates Authmatech only with the id and its key, as the resolver charges it', () => {
    const auth = createAuthenticator(CLIENTS);
    expect(auth({ 'x-client-id': 'client_alpha', 'x-api-key': 'am_alpha_key' })).toBe('client_alpha');
    expect(auth({ 'x-client-id': 'client_alpha', 'x-api-key': 'wrong' })).toBeUndefined();
  });
});
