import { describe, expect, it } from 'vitest';
import { optionLabel, requirePositiveWholeNumber } from './option-names.js';

describe('optionLabel: one option, spelled for the front end it came through', () => {
  it('names a flag in kebab case and passes values as a shell takes them', () => {
    const label = optionLabel('ipv6Subnet', 'flags');
    expect([label.kind, label.name, label.pass(64)]).toEqual(['flag', '--ipv6-subnet', '--ipv6-subnet 64']);
    expect(optionLabel('allowExternalRefs', 'flags').pass(true)).toBe('--allow-external-refs');
    expect(optionLabel('window', 'flags').pass('1 minute')).toBe("--window '1 minute'");
    expect(optionLabel('skip', 'flags').pass({ id: 'why' }, "id=it's pinned")).toBe(`--skip 'id=it'\\''s pinned'`);
    expect(optionLabel('profile', 'flags').passOneOf(['a', 'b'])).toBe('--profile a|b');
  });

  it('names an option as code passes it', () => {
    const label = optionLabel('ipv6Subnet', 'options');
    expect([label.kind, label.name, label.pass(64)]).toEqual(['option', 'the ipv6Subnet option', '{ ipv6Subnet: 64 }']);
    expect(optionLabel('window', 'options').pass('10s')).toBe('{ window: "10s" }');
    expect(optionLabel('skip', 'options').pass({ 'spec/x': 'why', plain: 'ok' }, 'ignored')).toBe('{ skip: { "spec/x": "why", plain: "ok" } }');
    expect(optionLabel('profile', 'options').passOneOf(['a', 'b'])).toBe('{ profile: "a" } or { profile: "b" }');
  });

  it('names both when the front end is unknown (a helper both call)', () => {
    const label = optionLabel('allowExternalRefs');
    expect([label.kind, label.name, label.pass(true)]).toEqual([
      'either',
      '--allow-external-refs (allowExternalRefs in code)',
      '--allow-external-refs ({ allowExternalRefs: true } in code)',
    ]);
  });

  it('requirePositiveWholeNumber names the option and shows the example its way', () => {
    expect(requirePositiveWholeNumber(3, optionLabel('limit', 'options'), 300)).toBe(3);
    for (const bad of [0, -2, 2.5, Number.NaN]) {
      expect(() => requirePositiveWholeNumber(bad, optionLabel('limit', 'options'), 300)).toThrow(
        `Failed to read the limit option: ${bad} is not a positive whole number. Pass e.g. { limit: 300 }.`,
      );
    }
    expect(() => requirePositiveWholeNumber('3' as never, optionLabel('maxKeys', 'flags'), 10)).toThrow(
      'Failed to read --max-keys: "3" is not a positive whole number. Pass e.g. --max-keys 10.',
    );
  });
});
