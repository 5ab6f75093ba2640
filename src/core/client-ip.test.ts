import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIp, clientIp } from './client-ip.js';

describe('canonicalIp: one spelling per address', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    [' 1.2.3.4\t', '1.2.3.4'],
    ['1.2.3.4:8080', '1.2.3.4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['0:0:0:0:0:ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:102:304', '1.2.3.4'],
    ['[::ffff:1.2.3.4]:443', '1.2.3.4'],
    ['2001:DB8::1', '2001:db8::/56'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::/56'],
    ['[2001:db8::1]:8080', '2001:db8::/56'],
    ['[2001:db8::1]', '2001:db8::/56'],
    ['fe80::1%eth0', 'fe80::/56'],
    ['2001:db8:0:abcd:1:2:3:4', '2001:db8:0:ab00::/56'],
    ['::1', '::/56'],
  ])('%j → %j', (text, key) => {
    expect(canonicalIp(text)).toBe(key);
  });
  it.each([
    '....',
    'ffff',
    '999.999.999.999',
    '1.2.3.4.5.6',
    '01.02.03.04',
    '1.2.3.04',
    '',
    ' ',
    'not-an-ip',
    '1.2.3.4:',
    '1.2.3.4:99999999',
    '[::1',
    '[::1]x',
    '[1.2.3.4]',
    '::ffff:01.2.3.4',
  ])('rejects %j', (text) => {
    expect(canonicalIp(text)).toBeUndefined();
  });
  it('keys every address of one /56 alike and a neighbouring /56 apart; 128 keys each address', () => {
    expect(canonicalIp('2001:db8:1:ff:ffff::1')).toBe(canonicalIp('2001:db8:1:0::2'));
    expect(canonicalIp('2001:db8:1:100::1')).not.toBe(canonicalIp('2001:db8:1:ff::1'));
    expect(canonicalIp('2001:db8:1:ff::1', 64)).toBe('2001:db8:1:ff::/64');
    expect(canonicalIp('2001:db8:1:ff::1', 128)).toBe('2001:db8:1:ff::1');
    expect(canonicalIp('2001:db8:1:ff::1', 48)).toBe('2001:db8:1::/48');
    expect(canonicalIp('2001:db8:1:ff::1', 1)).toBe('::/1');
  });
  it('agrees with net.isIP and is idempotent on random IPv6 and IPv4 addresses', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (ip) => {
        const once = canonicalIp(ip, 128);
        expect(once === undefined, ip).toBe(isIP(ip) === 0);
        if (once !== undefined) expect(canonicalIp(once, 128)).toBe(once);
        // Expanding and compressing agree: the canonical text is the same address.
        if (once?.includes(':')) expect(new URL(`http://[${once}]`).hostname).toBe(`[${once}]`);
      }),
      { numRuns: 2000, seed: 20261201 },
    );
  });
});

describe('clientIp', () => {
  it('reads the left-most X-Forwarded-For entry only with trustProxy, and falls back to the socket', () => {
    expect(clientIp({ 'x-forwarded-for': '203.0.113.9' }, '127.0.0.1', false)).toBe('127.0.0.1');
    expect(clientIp({ 'x-forwarded-for': '203.0.113.9:5000, 10.0.0.1' }, '127.0.0.1', true)).toBe('203.0.113.9');
    expect(clientIp({ 'x-forwarded-for': '999.1.1.1' }, '::ffff:127.0.0.1', true)).toBe('127.0.0.1');
    expect(clientIp({ 'x-forwarded-for': `${'1'.repeat(300)}` }, '127.0.0.1', true)).toBe('127.0.0.1');
    expect(clientIp({ 'x-forwarded-for': ['2001:db8::5', '1.1.1.1'] }, '127.0.0.1', true)).toBe('2001:db8::/56');
  });
  it('groups IPv6 sockets by the configured prefix too', () => {
    expect(clientIp({}, '2001:db8:0:1::7', {})).toBe('2001:db8::/56');
    expect(clientIp({}, '2001:db8:0:1::7', { ipv6Subnet: 64 })).toBe('2001:db8:0:1::/64');
    expect(clientIp({}, undefined, {})).toBe('unknown');
  });
});
