import { RateLimitContractError } from './errors.js';
import { type OptionLabel, showValue } from './option-names.js';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  msec: 1,
  msecs: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1_000,
  sec: 1_000,
  secs: 1_000,
  second: 1_000,
  seconds: 1_000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i;
const NEGATIVE = /^\s*-\s*\d/;
const EXAMPLES = 'such as 10s, 1m, "1 minute" or 1500ms';

/** A duration read from text: its milliseconds, or what is wrong with it (a phrase that follows the quoted text). */
export type DurationReading = { ms: number; bare: boolean } | { problem: string; hint: string };

/**
 * Reads a duration and says what is wrong when it is not one: `"0s" must be positive`, `"1 minutee" is
 * not a duration: "minutee" is not a unit`. A bare number is milliseconds, the way @fastify/rate-limit's
 * `timeWindow` and the `ms` package read it; `bare` says so, and `unit: 'required'` refuses it instead.
 * @example readDuration('0s') // { problem: 'must be positive', hint: 'Use a positive number with a unit, …' }
 */
export function readDuration(text: string, options: { unit?: 'required' | 'optional' } = {}): DurationReading {
  const hint = `Use a positive number with a unit, ${EXAMPLES}`;
  if (NEGATIVE.test(text)) return { problem: 'must be positive', hint };
  const match = DURATION.exec(text);
  if (!match) return { problem: 'is not a duration', hint };
  const amount = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  const factor = unit === '' ? 1 : UNIT_MS[unit];
  if (factor === undefined) return { problem: `is not a duration: "${match[2]}" is not a unit`, hint: `Use ms, s, m, h or d, ${EXAMPLES}` };
  const ms = Math.round(amount * factor);
  if (ms <= 0) return { problem: 'must be positive', hint };
  if (!Number.isSafeInteger(ms)) return { problem: 'is too long', hint };
  if (unit === '' && options.unit === 'required') {
    const n = match[1];
    return { problem: 'has no unit', hint: `Pass ${n}s for seconds, ${n}m for minutes or ${n}ms for milliseconds` };
  }
  return { ms, bare: unit === '' };
}

/**
 * Parses a window such as `10s`, `1m`, `1 minute`, `1500ms` or a bare number of milliseconds
 * (the form @fastify/rate-limit's `timeWindow` and the `ms` packages accept). Returns undefined when
 * the text is not a positive duration.
 * @example parseDurationMs('1 minute') // 60000
 */
export function parseDurationMs(text: string): number | undefined {
  const reading = readDuration(text);
  return 'ms' in reading ? reading.ms : undefined;
}

/** What is wrong with a window text, as one phrase for a lint message; undefined when it is a duration. */
export function describeDurationProblem(text: string): string | undefined {
  const reading = readDuration(text);
  return 'problem' in reading ? `"${text}" ${reading.problem} (${reading.hint.charAt(0).toLowerCase()}${reading.hint.slice(1)})` : undefined;
}

/**
 * Like parseDurationMs, but throws a one-line error that names where the bad value came from: an option
 * label (`--window`, `the window option`, see option-names.ts), or a place (`the env var RATE_LIMIT_WINDOW`,
 * a file and JSON pointer) read as "the window from <where>".
 * `unit: 'required'` refuses a bare number: on a command line `--window 10` is more often meant as
 * seconds than as the 10 ms it would be.
 */
export function requireDurationMs(text: string, where: string | OptionLabel, options: { unit?: 'required' | 'optional' } = {}): number {
  const reading = readDuration(text, options);
  if ('problem' in reading) {
    const from = typeof where === 'string' ? `the window from ${where}` : where.name;
    const bare = reading.problem === 'has no unit' && typeof where !== 'string' ? bareNumberHint(text.trim(), where) : reading.hint;
    throw new RateLimitContractError('ERR_RLC_DURATION', `Failed to read ${from}: "${text}" ${reading.problem}. ${bare}.`);
  }
  return reading.ms;
}

/** What to pass instead of a bare number, in the front end's words: after a flag the units alone, in code a string or a number of ms. */
function bareNumberHint(n: string, label: OptionLabel): string {
  if (label.kind !== 'option') return `Pass ${n}s for seconds, ${n}m for minutes or ${n}ms for milliseconds`;
  return `Pass ${label.pass(`${n}s`)} for seconds, ${label.pass(`${n}m`)} for minutes, or ${label.pass(Number(n))} (a number) for milliseconds`;
}

/**
 * Reads a window option the one way every front end does: a number is milliseconds (a positive whole
 * number), a string needs a unit (`"10s"`, `"1 minute"`), since `"10"` is more often meant as seconds.
 * @example requireWindowMs('2s', optionLabel('window')) // 2000
 */
export function requireWindowMs(value: string | number, label: OptionLabel): number {
  if (typeof value === 'string') return requireDurationMs(value, label, { unit: 'required' });
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RateLimitContractError(
      'ERR_RLC_DURATION',
      `Failed to read ${label.name}: ${showValue(value)} is not a positive whole number of milliseconds. Pass ${label.pass('10s')}, or a number of milliseconds such as ${label.pass(10_000)}.`,
    );
  }
  return value;
}

/**
 * Formats milliseconds the way @fastify/rate-limit words its 429 message (the long form of
 * @lukeed/ms): whole units, rounded half up, plural unless exactly one.
 * @example formatDurationLong(60_000) // '1 minute'
 */
export function formatDurationLong(ms: number): string {
  const steps: Array<[number, string]> = [
    [365.25 * 86_400_000, 'year'],
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${ms} ms`;
  for (const [size, word] of steps) {
    if (abs >= size || size === 1_000) {
      const ratio = abs / size;
      const count = (ratio | 0) === ratio ? ratio : Math.floor(ratio + 0.5);
      return `${ms < 0 ? '-' : ''}${count} ${word}${count === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}
