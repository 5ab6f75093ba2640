import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { type RawRequestOptions, rawRequest, sendSequential } from './support/raw-request.js';
import { httpText, sendRaw } from './support/raw-socket.js';
import { startCliMock } from './support/run-cli.js';

// Key spoofing: IP-keyed callers cannot mint budgets with client-IP headers (unless --trust-proxy, which
// reads X-Forwarded-For only), and odd credential headers each land on one deterministic budget.
const LIST = '/v1/payment-intents';
const USAGE = '/v1/api/portal/analytics/usage';
const ACME = 'Bearer rl_test_acme_primary';
const GLOBEX = 'Bearer rl_test_globex_primary';
const LIMIT = 2;

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function start(profile: 'reconlayer' | 'authmatech', options: Parameters<typeof startMockServer>[0] = {}) {
  mock = await startMockServer({ profile, env: {}, limit: LIMIT, ...options });
  mock.clock.freeze();
  return mock;
}

const keys = async (m: MockServer) => (await m.store.keys(100)).sort();

/** Sends the request LIMIT + 1 times: the last must be the 429, so the variant has a finite budget. */
async function expectLimited(m: MockServer, options: RawRequestOptions) {
  const statuses = (await sendSequential(m.url, LIMIT + 1, options)).map((r) => r.status);
  expect(statuses.at(-1), `statuses ${statuses.join(',')}`).toBe(429);
  expect(statuses.slice(0, -1)).not.toContain(429);
}

const SPOOFS: Array<[string, Record<string, string | string[]>]> = [
  ['X-Forwarded-For', { 'x-forwarded-for': '203.0.113.10' }],
  ['X-Forwarded-For chain', { 'x-forwarded-for': '203.0.113.11, 198.51.100.1' }],
  ['X-Forwarded-For twice', { 'x-forwarded-for': ['203.0.113.12', '203.0.113.13'] }],
  ['X-Forwarded-For of another loopback', { 'x-forwarded-for': '127.0.0.2' }],
  ['X-Forwarded-For IPv6', { 'x-forwarded-for': '2001:db8::1' }],
  ['Forwarded', { forwarded: 'for=203.0.113.14;proto=http' }],
  ['Forwarded IPv6', { forwarded: 'for="[2001:db8::2]"' }],
  ['X-Real-IP', { 'x-real-ip': '203.0.113.15' }],
  ['True-Client-IP', { 'true-client-ip': '203.0.113.16' }],
  ['CF-Connecting-IP', { 'cf-connecting-ip': '203.0.113.17' }],
  ['X-Client-IP', { 'x-client-ip': '203.0.113.18' }],
  ['X-Cluster-Client-IP', { 'x-cluster-client-ip': '203.0.113.19' }],
  ['Fastly-Client-IP', { 'fastly-client-ip': '203.0.113.20' }],
  ['all of them', { 'x-forwarded-for': '203.0.113.21', forwarded: 'for=203.0.113.21', 'x-real-ip': '203.0.113.21', 'true-client-ip': '203.0.113.21' }],
];

describe('IP keying without --trust-proxy', () => {
  it.each(SPOOFS)('%s does not escape an exhausted IP budget', async (_name, headers) => {
    const m = await start('reconlayer');
    await sendSequential(m.url, LIMIT, { path: LIST });
    const spoofed = await rawRequest(m.url, { path: LIST, headers });
    expect(spoofed.status).toBe(429);
    expect(await keys(m)).toEqual(['ip:127.0.0.1']);
  });

  it('a stream of 200 spoofed addresses shares the socket address budget', async () => {
    const m = await start('authmatech');
    const statuses: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const headers = { 'x-forwarded-for': `198.51.100.${i}`, forwarded: `for=198.51.100.${i}`, 'x-real-ip': `198.51.100.${i}` };
      statuses.push((await rawRequest(m.url, { path: USAGE, headers })).status);
    }
    expect(statuses.filter((s) => s !== 429)).toHaveLength(LIMIT);
    expect(await keys(m)).toEqual(['ip:127.0.0.1']);
  });

  it('a real second address (127.0.0.2) does get its own budget: the socket decides', async () => {
    const m = await start('reconlayer');
    await sendSequential(m.url, LIMIT + 1, { path: LIST });
    expect((await rawRequest(m.url, { path: LIST, localAddress: '127.0.0.2' })).status).toBe(401);
    expect(await keys(m)).toEqual(['ip:127.0.0.1', 'ip:127.0.0.2']);
  });
});

describe('IP keying with --trust-proxy', () => {
  it('reads the left-most X-Forwarded-For entry, and nothing else', async () => {
    const m = await start('reconlayer', { trustProxy: true });
    await expectLimited(m, { path: LIST, headers: { 'x-forwarded-for': '203.0.113.1, 10.0.0.1' } });
    expect((await rawRequest(m.url, { path: LIST, headers: { 'x-forwarded-for': '203.0.113.2' } })).status).toBe(401);
    // Forwarded and X-Real-IP are never read: these fall back to the socket address.
    await expectLimited(m, { path: LIST, headers: { forwarded: 'for=203.0.113.3' } });
    expect((await rawRequest(m.url, { path: LIST, headers: { 'x-real-ip': '203.0.113.4' } })).status).toBe(429);
    expect(await keys(m)).toEqual(['ip:127.0.0.1', 'ip:203.0.113.1', 'ip:203.0.113.2']);
  });

  it.each([
    ['not an address', 'not-an-ip'],
    ['empty', ''],
    ['oversized', `${'1.'.repeat(200)}1`],
    ['a comma only', ','],
    ['script', '<script>alert(1)</script>'],
  ])('falls back to the socket address for a %s X-Forwarded-For', async (_name, value) => {
    const m = await start('reconlayer', { trustProxy: true });
    await expectLimited(m, { path: LIST, headers: { 'x-forwarded-for': value } });
    expect(await keys(m)).toEqual(['ip:127.0.0.1']);
  });
});

describe('credential headers are keyed deterministically and never unlimited (ReconLayer)', () => {
  it.each<[string, Record<string, string | string[]> | undefined, string]>([
    ['missing', undefined, 'ip:127.0.0.1'],
    ['empty', { authorization: '' }, 'ip:127.0.0.1'],
    ['whitespace', { authorization: '   ' }, 'ip:127.0.0.1'],
    ['scheme only', { authorization: 'Bearer' }, 'ip:127.0.0.1'],
    ['scheme and a space', { authorization: 'Bearer ' }, 'ip:127.0.0.1'],
    ['another scheme', { authorization: 'Basic cmxfdGVzdF9hY21lX3ByaW1hcnk=' }, 'ip:127.0.0.1'],
    ['unknown token', { authorization: 'Bearer rl_test_nobody' }, 'ip:127.0.0.1'],
    ['oversized (300 bytes)', { authorization: `Bearer ${'x'.repeat(300)}` }, 'ip:127.0.0.1'],
    ['oversized (12 KB)', { authorization: `Bearer ${'x'.repeat(12_000)}` }, 'ip:127.0.0.1'],
    ['valid token padded past the size cap', { authorization: `${ACME}${' '.repeat(300)}x` }, 'ip:127.0.0.1'],
    ['two tokens in one header', { authorization: `${ACME}, ${GLOBEX}` }, 'ip:127.0.0.1'],
    ['duplicated header, valid first (node keeps the first)', { authorization: [ACME, GLOBEX] }, 'organization:org_acme'],
    ['duplicated header, unknown first', { authorization: ['Bearer rl_test_nobody', ACME] }, 'ip:127.0.0.1'],
    ['lower-case scheme', { authorization: 'bearer rl_test_acme_primary' }, 'organization:org_acme'],
    ['extra spaces', { authorization: `  Bearer    rl_test_acme_primary  ` }, 'organization:org_acme'],
    ["the organization's other key", { authorization: 'Bearer rl_test_acme_ci' }, 'organization:org_acme'],
  ])('%s → %s', async (_name, headers, key) => {
    const m = await start('reconlayer');
    await expectLimited(m, { path: LIST, headers });
    expect(await keys(m)).toEqual([key]);
  });

  it('1000 made-up tokens share one IP budget', async () => {
    const m = await start('reconlayer');
    let served = 0;
    for (let i = 0; i < 1000; i += 1)
      if ((await rawRequest(m.url, { path: LIST, headers: { authorization: `Bearer forged_${i}` } })).status !== 429) served += 1;
    expect(served).toBe(LIMIT);
    expect(await keys(m)).toEqual(['ip:127.0.0.1']);
  });

  it('a header past the server limit (20 KB) is refused before any route runs, and the server stays up', async () => {
    const m = await start('reconlayer');
    const res = await sendRaw(m.url, httpText('GET', LIST, { authorization: `Bearer ${'x'.repeat(20_000)}` }));
    expect([400, 431]).toContain(res.status);
    expect(res.body).toBe('');
    expect(await keys(m)).toEqual([]);
    expect((await rawRequest(m.url, { path: LIST, headers: { authorization: ACME } })).status).toBe(200);
  });
});

describe('credential headers are keyed deterministically and never unlimited (Authmatech)', () => {
  it.each<[string, Record<string, string | string[]> | undefined, string]>([
    ['missing', undefined, 'ip:127.0.0.1'],
    ['empty', { 'x-client-id': '' }, 'ip:127.0.0.1'],
    ['made-up id', { 'x-client-id': 'client_made_up' }, 'ip:127.0.0.1'],
    ['case change', { 'x-client-id': 'CLIENT_ALPHA' }, 'ip:127.0.0.1'],
    ['oversized', { 'x-client-id': 'c'.repeat(5000) }, 'ip:127.0.0.1'],
    ['duplicated (node joins them)', { 'x-client-id': ['client_alpha', 'client_alpha'] }, 'ip:127.0.0.1'],
    ['two ids', { 'x-client-id': ['client_alpha', 'client_beta'] }, 'ip:127.0.0.1'],
    ['padded', { 'x-client-id': '  client_alpha  ', 'x-api-key': 'am_test_alpha_key' }, 'client:client_alpha'],
    ['known id, wrong key (not authenticated: never charged to the client)', { 'x-client-id': 'client_alpha', 'x-api-key': 'wrong' }, 'ip:127.0.0.1'],
    ['known id, no key', { 'x-client-id': 'client_alpha' }, 'ip:127.0.0.1'],
  ])('%s → %s', async (_name, headers, key) => {
    const m = await start('authmatech');
    await expectLimited(m, { path: USAGE, headers });
    expect(await keys(m)).toEqual([key]);
  });
});

describe('the --trust-proxy flag, as a user runs it', () => {
  it.each([
    [[], 429],
    [['--trust-proxy'], 401],
  ])('mock %j: a spoofed X-Forwarded-For after the budget → %i', async (flags, status) => {
    const { child, url } = await startCliMock(['--port', '0', '--limit', '1', ...flags]);
    try {
      await rawRequest(url, { path: LIST });
      expect((await rawRequest(url, { path: LIST, headers: { 'x-forwarded-for': '203.0.113.99' } })).status).toBe(status);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Hardening, round two (issue 10): budget theft by client id (item 2), RFC 9110 credentials (item 12),
// --trust-proxy addresses and IPv6 prefixes (item 10). Each case failed on the code before the fix.
// ---------------------------------------------------------------------------------------------------

const ALPHA = { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key' };

describe('budget theft by client id (Authmatech)', () => {
  it('a caller that knows a client id but not its key cannot spend that client budget, from any address', async () => {
    const m = await start('authmatech');
    // Before: these 401s were charged to client:client_alpha, and the real client then got 429s.
    const stolen = await sendSequential(m.url, LIMIT + 3, {
      path: USAGE,
      headers: { 'x-client-id': 'client_alpha', 'x-api-key': 'guess' },
      localAddress: '127.0.0.2',
    });
    expect(stolen.map((r) => r.status).filter((s) => s === 429)).toHaveLength(3);
    const owner = await sendSequential(m.url, LIMIT, { path: USAGE, headers: ALPHA });
    expect(owner.map((r) => r.status)).toEqual(Array(LIMIT).fill(200));
    expect(await keys(m)).toEqual(['client:client_alpha', 'ip:127.0.0.2']);
  });
});

describe('RFC 9110 credentials: the key and the answer agree (ReconLayer)', () => {
  it.each<[string, string, number, string]>([
    ['scheme in lower case', 'bearer rl_test_acme_primary', 200, 'organization:org_acme'],
    ['scheme in upper case', 'BEARER rl_test_acme_primary', 200, 'organization:org_acme'],
    ['two spaces after the scheme (1*SP)', 'Bearer  rl_test_acme_primary', 200, 'organization:org_acme'],
    ['a trailing no-break space (not OWS: not a token68)', 'Bearer rl_test_acme_primary\u00a0', 401, 'ip:127.0.0.1'],
    ['a no-break space after the scheme', 'Bearer\u00a0rl_test_acme_primary', 401, 'ip:127.0.0.1'],
    ['the token in upper case (token68 is case-sensitive)', 'Bearer RL_TEST_ACME_PRIMARY', 401, 'ip:127.0.0.1'],
  ])('%s (%j) → %i, keyed %s', async (_name, authorization, status, key) => {
    const m = await start('reconlayer');
    const res = await rawRequest(m.url, { path: LIST, headers: { authorization } });
    expect(res.status).toBe(status);
    expect(await keys(m)).toEqual([key]);
  });
});

describe('--trust-proxy: valid addresses only, one spelling each, ports dropped', () => {
  it.each(['....', 'ffff', '999.999.999.999', '1.2.3.4.5.6', '01.02.03.04', '1.2.3.4:', '[1.2.3.4]', 'unknown', '2001:db8::1::2'])(
    'falls back to the socket address for %j',
    async (value) => {
      const m = await start('reconlayer', { trustProxy: true });
      await rawRequest(m.url, { path: LIST, headers: { 'x-forwarded-for': value } });
      expect(await keys(m)).toEqual(['ip:127.0.0.1']);
    },
  );

  it('keys one address alike however it is spelled, with or without a port', async () => {
    const m = await start('reconlayer', { trustProxy: true });
    const spellings = [
      '198.51.100.4',
      '198.51.100.4:8080',
      '198.51.100.4:9090',
      '::ffff:198.51.100.4',
      '0:0:0:0:0:ffff:198.51.100.4',
      '[::ffff:c633:6404]:443',
      ' 198.51.100.4 , 10.0.0.1',
    ];
    const statuses = [];
    for (const value of spellings) statuses.push((await rawRequest(m.url, { path: LIST, headers: { 'x-forwarded-for': value } })).status);
    expect(await keys(m)).toEqual(['ip:198.51.100.4']);
    expect(statuses.filter((s) => s === 429)).toHaveLength(spellings.length - LIMIT);
  });

  it('groups IPv6 callers by /56: a flood from one /64 (or /56) is one budget, not a store flush', async () => {
    const m = await start('reconlayer', { trustProxy: true });
    for (let i = 0; i < 200; i += 1) {
      const address = `2001:db8:0:${(i % 4).toString(16)}:${i.toString(16)}::${(i * 7).toString(16)}`;
      await rawRequest(m.url, { path: LIST, headers: { 'x-forwarded-for': address } });
    }
    expect(await keys(m)).toEqual(['ip:2001:db8::/56']);
  });

  it('the prefix is configurable (ipv6Subnet): /64 keys each /64, 128 each address', async () => {
    const m = await start('reconlayer', { trustProxy: true, ipv6Subnet: 64 });
    for (const address of ['2001:db8:0:1::1', '2001:db8:0:1::2', '2001:db8:0:2::1'])
      await rawRequest(m.url, { path: LIST, headers: { 'x-forwarded-for': address } });
    expect(await keys(m)).toEqual(['ip:2001:db8:0:1::/64', 'ip:2001:db8:0:2::/64']);
    await expect(startMockServer({ profile: 'reconlayer', ipv6Subnet: 0 })).rejects.toThrow(
      /the ipv6Subnet option: 0 is not an IPv6 prefix length.*e\.g\. \{ ipv6Subnet: 64 \}/,
    );
  });

  it('mock --ipv6-subnet 128, as a user runs it, keys each IPv6 address', async () => {
    const { child, url } = await startCliMock(['--port', '0', '--trust-proxy', '--ipv6-subnet', '128', '--limit', '1']);
    try {
      expect((await rawRequest(url, { path: LIST, headers: { 'x-forwarded-for': '2001:db8::1' } })).status).toBe(401);
      expect((await rawRequest(url, { path: LIST, headers: { 'x-forwarded-for': '2001:db8::2' } })).status).toBe(401);
      expect((await rawRequest(url, { path: LIST, headers: { 'x-forwarded-for': '2001:db8::1' } })).status).toBe(429);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
