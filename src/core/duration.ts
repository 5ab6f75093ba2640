import { RateLimitContractError } from './errors.js';

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

/**
 * Parses a window such as `10s`, `1m`, `1 minute`, `1500ms` or a bare number of milliseconds
 * (the form @fastify/rate-limit's `timeWindow` and the `ms` packages accept). Returns undefined when
 * the text is not a positive duration.
 * @example parseDurationMs('1 minute') // 60000
 */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  const factor = unit === '' ? 1 : UNIT_MS[unit];
  if (factor === undefined) return undefined;
  const ms = Math.round(amount * factor);
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

/** Like parseDurationMs, but throws a one-line error that names where the bad value came from. */
export function requireDurationMs(text: string, where: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined) {
    throw new RateLimitContractError(
      'ERR_RLC_DURATION',
      `Failed to read the window from ${where}: "${text}" is not a duration. Use a positive number with a unit, such as 10s, 1m, "1 minute" or 1500ms.`,
    );
  }
  return ms;
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
