import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipFamily } from './ip-family.js';

describe('ipFamily: net.isIP without node', () => {
  it.each([
    'fe80::1%eth0',
    'fe80::1%',
    'fe80::1%e_0',
    'fe80::1%a.b:c-d',
    '::',
    '::1.2.3.4',
    '1::',
    '1:2:3:4:5:6:7::',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:1.2.3.4',
    '1:2:3:4:5:6:7:1.2.3.4',
    '::ffff:01.2.3.4',
    '1.2.3.04',
    '0.0.0.0',
    '255.255.255.255',
    '256.1.1.1',
    '00::1',
    '00000::1',
    ':1::2',
    '1::2:',
    '1::2::3',
    '....',
    'ffff',
    '1.2.3.4.5',
    '',
    ' 1.2.3.4',
  ])('%j as net.isIP reads it', (text) => {
    expect(ipFamily(text)).toBe(isIP(text));
  });

  it('agrees with net.isIP on generated addresses and near-addresses (fixed seed)', () => {
    const hexGroup = fc.stringMatching(/^[0-9a-fA-F]{0,5}$/);
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.stringMatching(/^0[0-9]{1,2}$/));
    const v4 = fc.array(octet, { minLength: 3, maxLength: 5 }).map((parts) => parts.join('.'));
    const v6 = fc
      .tuple(fc.array(hexGroup, { minLength: 1, maxLength: 9 }), fc.option(fc.nat(8)), fc.option(v4), fc.option(fc.stringMatching(/^%[a-z0-9_.]{0,4}$/)))
      .map(([groups, gapAt, tail, zone]) => {
        const list = [...groups];
        if (gapAt !== null) list.splice(Math.min(gapAt, list.length), 0, '');
        return `${list.join(':')}${tail === null ? '' : `:${tail}`}${zone ?? ''}`;
      });
    fc.assert(
      fc.property(fc.oneof(v4, v6, fc.string({ maxLength: 12 })), (text) => {
        expect(ipFamily(text)).toBe(isIP(text));
      }),
      { seed: 20261201, numRuns: 20_000 },
    );
  });
});
