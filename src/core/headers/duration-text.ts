// Durations as Go's time.Duration prints them, the form OpenAI sends in x-ratelimit-reset-requests
// ("1s", "6m0s", "59ms", "17.31s", "1h0m0s").

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001, µs: 0.001, μs: 0.001, ns: 0.000_001 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|μs|ns)/y;

/** Trims trailing zeros of a fixed-point text: `17.310` → `17.31`, `2.000` → `2`. */
const trimZeros = (text: string) => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);

/**
 * Formats milliseconds the way Go's `time.Duration.String()` does, at millisecond precision: under a
 * second in `ms`, else hours, minutes and seconds with the seconds' fraction trimmed.
 * @example formatDurationText(360_000) // '6m0s'; formatDurationText(59) // '59ms'; formatDurationText(1_500) // '1.5s'
 */
export function formatDurationText(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole === 0) return '0s';
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = trimZeros(((whole % 60_000) / 1000).toFixed(3));
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/**
 * Reads a Go-style duration (`6m0s`, `1.5s`, `59ms`, `1h2m3s`, `0s`) as milliseconds; undefined when it
 * is not one.
 */
export function parseDurationText(text: string): number | undefined {
  const value = text.trim();
  if (value === '0') return 0;
  if (value === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let at = 0;
  while (at < value.length) {
    PART.lastIndex = at;
    const match = PART.exec(value);
    if (!match) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] ?? Number.NaN);
    at = PART.lastIndex;
  }
  return Number.isFinite(total) ? total : undefined;
}
