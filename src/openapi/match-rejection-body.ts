/** The placeholders a rejection body may hold (see src/core/rejection-body.ts). */
const PLACEHOLDER = /\{(?:after|window|limit|retryAfterSeconds|name)\}/g;

/** Where an example first differs from the policy's rejection body. */
export interface BodyMismatch {
  /** JSON pointer inside the body, `''` for the body itself. */
  at: string;
  expected: string;
  actual: string;
}

function stringMatches(template: string, actual: string): boolean {
  const parts = template.split(PLACEHOLDER).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`, 's').test(actual);
}

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));
const typeOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * Compares an example with the policy's rejection body: equal JSON, except that a `{after}`,
 * `{window}`, `{limit}`, `{retryAfterSeconds}` or `{name}` placeholder in a string matches any non-empty text.
 * Returns the first difference, or undefined when the example matches.
 * @example matchRejectionBody({ message: 'retry in {after}' }, { message: 'retry in 1 minute' }) // undefined
 */
export function matchRejectionBody(template: unknown, actual: unknown, at = ''): BodyMismatch | undefined {
  if (typeof template === 'string') {
    return typeof actual === 'string' && stringMatches(template, actual) ? undefined : { at, expected: show(template), actual: show(actual) };
  }
  if (typeOf(template) !== typeOf(actual)) return { at, expected: show(template), actual: show(actual) };
  if (Array.isArray(template) && Array.isArray(actual)) {
    if (template.length !== actual.length) return { at, expected: `${template.length} items`, actual: `${actual.length} items` };
    for (let i = 0; i < template.length; i += 1) {
      const mismatch = matchRejectionBody(template[i], actual[i], `${at}/${i}`);
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  if (typeof template === 'object' && template !== null) {
    const want = template as Record<string, unknown>;
    const got = actual as Record<string, unknown>;
    for (const key of new Set([...Object.keys(want), ...Object.keys(got)])) {
      const child = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!(key in got)) return { at: child, expected: show(want[key]), actual: 'nothing' };
      if (!(key in want)) return { at: child, expected: 'no such field', actual: show(got[key]) };
      const mismatch = matchRejectionBody(want[key], got[key], child);
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  return Object.is(template, actual) ? undefined : { at, expected: show(template), actual: show(actual) };
}
