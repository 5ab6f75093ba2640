/** Whole seconds, rounded up, as @fastify/rate-limit's ttlInSeconds and RFC 9110 §10.2.3 delay-seconds. */
export const toWholeSeconds = (ms: number): number => Math.ceil(ms / 1000);

/** Header values for the small whole numbers most responses carry, made once instead of per response. */
const SMALL_INTS = Array.from({ length: 4096 }, (_, i) => String(i));

/** `String(n)`, from the table when n is a small whole number. */
export function intText(n: number): string {
  return (n >= 0 && n < SMALL_INTS.length ? SMALL_INTS[n] : undefined) ?? String(n);
}

const DIGITS = /^\s*\d+\s*$/;

/** A header value that is a whole number ≥ 0 (surrounding spaces allowed), else undefined. */
export function readWholeNumber(value: string | undefined): number | undefined {
  if (value === undefined || !DIGITS.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}
