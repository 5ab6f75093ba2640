/** A status, or a whole class of them: `429`, `'5xx'`. Rule sets list statuses this way, so they stay plain data. */
export type StatusPattern = number | '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

/** True when `status` is one of `patterns` (`'5xx'` matches 500–599). */
export function matchesStatus(patterns: readonly StatusPattern[], status: number): boolean {
  return patterns.some((pattern) => (typeof pattern === 'number' ? pattern === status : Math.floor(status / 100) === Number(pattern[0])));
}

/** `[429, '5xx']` as `429, 5xx`, for messages. */
export const describeStatuses = (patterns: readonly StatusPattern[]): string => patterns.join(', ');
