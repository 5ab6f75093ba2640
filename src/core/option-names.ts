import { RateLimitContractError } from './errors.js';

/**
 * How a front end spells the options a user gave it, so that an error names them as the user wrote them:
 * `flags` on the command line (`--ipv6-subnet 64`), `options` in code (`{ ipv6Subnet: 64 }`, the default).
 * The CLI passes `flags`; `startMockServer`, `runConformance`, the vitest, nock and MSW helpers speak
 * options. Messages take a label from here instead of writing a flag or an option name themselves.
 */
export type OptionSpelling = 'flags' | 'options';

/** A value as an example in a message: what a user would pass in code. */
export type OptionValue = string | number | boolean | { [key: string]: string | number | boolean };

/** One option as a message names it. */
export interface OptionLabel {
  /** Where the value was given: a command-line flag, an option in code, or either (a helper both fronts call). */
  readonly kind: 'flag' | 'option' | 'either';
  /** In prose: `--ipv6-subnet`, `the ipv6Subnet option`. */
  readonly name: string;
  /**
   * How to pass a value: `--limit 300`, `{ limit: 300 }`; `true` is a bare flag
   * (`--trust-proxy`). `flagText` is the value as a flag takes it, where that differs from the option's
   * value (`--skip 'id=why'` against `{ skip: { id: "why" } }`).
   */
  pass(value: OptionValue, flagText?: string): string;
  /** One of several values: `--profile authmatech|reconlayer`, `{ profile: "authmatech" } or { profile: "reconlayer" }`. */
  passOneOf(values: readonly string[]): string;
}

const kebab = (option: string) => option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** A flag value the way a shell needs it: as is when plain, else in single quotes. */
const shellWord = (text: string) => (/^[\w@%+=:,./|-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/** A value as a JavaScript literal: strings in double quotes, objects as `{ key: value }`. */
function literal(value: OptionValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  const entries = Object.entries(value).map(([key, v]) => `${IDENTIFIER.test(key) ? key : JSON.stringify(key)}: ${literal(v)}`);
  return `{ ${entries.join(', ')} }`;
}

/**
 * The label of an option, spelled for the front end it came through; with no spelling (a helper called
 * from both fronts, such as loadSpec), both ways: `--allow-external-refs (allowExternalRefs in code)`.
 * @example optionLabel('ipv6Subnet', 'flags').pass(64) // '--ipv6-subnet 64'
 * @example optionLabel('window', 'options').pass('10s') // '{ window: "10s" }'
 */
export function optionLabel(option: string, spelling?: OptionSpelling): OptionLabel {
  const flag = `--${kebab(option)}`;
  const passFlag = (value: OptionValue, flagText?: string) =>
    flagText !== undefined ? `${flag} ${shellWord(flagText)}` : value === true ? flag : `${flag} ${shellWord(String(value))}`;
  const passOption = (value: OptionValue) => `{ ${option}: ${literal(value)} }`;
  if (spelling === 'flags') return { kind: 'flag', name: flag, pass: passFlag, passOneOf: (values) => `${flag} ${values.join('|')}` };
  if (spelling === 'options')
    return { kind: 'option', name: `the ${option} option`, pass: passOption, passOneOf: (values) => values.map((v) => passOption(v)).join(' or ') };
  return {
    kind: 'either',
    name: `${flag} (${option} in code)`,
    pass: (value, flagText) => `${passFlag(value, flagText)} (${passOption(value)} in code)`,
    passOneOf: (values) => `${flag} ${values.join('|')} (${option}: ${values.map((v) => JSON.stringify(v)).join(' or ')} in code)`,
  };
}

/** A value a user passed, as a message quotes it: strings in quotes, numbers (NaN, Infinity too) as they print. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return 'an object';
    }
  }
  return String(value);
}

/**
 * Reads a count option (a limit, a cap): a positive whole number, else a one-line error that names the
 * option as the user wrote it and shows `example` passed the same way.
 */
export function requirePositiveWholeNumber(value: number, label: OptionLabel, example: number): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return value;
  throw new RateLimitContractError(
    'ERR_RLC_USAGE',
    `Failed to read ${label.name}: ${showValue(value)} is not a positive whole number. Pass e.g. ${label.pass(example)}.`,
  );
}
