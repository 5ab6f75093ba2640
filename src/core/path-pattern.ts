/**
 * Path patterns of the `x-rate-limit` scope: literal segments, `*` for exactly one segment and a
 * trailing `**` for one or more segments. `/docs/**` matches `/docs/a` and `/docs/a/b`, never `/docs`
 * or `/docsx`.
 */
export type PathMatcher = (path: string) => boolean;

/** Compiles a pattern into a matcher. `caseInsensitive` is for conservative budget coverage only. */
export function compilePathPattern(pattern: string, caseInsensitive = false): PathMatcher {
  const parts = pattern.split('/').slice(1);
  const source = parts
    .map((part, i) => {
      if (part === '**' && i === parts.length - 1) return '(?:/[^/]+)+/?';
      if (part === '*') return '/[^/]+';
      return `/${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
    })
    .join('');
  const regex = new RegExp(`^${source === '' ? '/' : source}$`, caseInsensitive ? 'i' : '');
  return (path) => regex.test(path);
}

/** One matcher for a list of patterns (any of them). */
export function compilePathPatterns(patterns: readonly string[], caseInsensitive = false): PathMatcher {
  const matchers = patterns.map((p) => compilePathPattern(p, caseInsensitive));
  return (path) => matchers.some((match) => match(path));
}
