const PLACEHOLDER = /\{(after|window|limit|retryAfterSeconds|name)\}/g;

/** Accepted expansions of each `{placeholder}` of the policy's rejection body. */
export type TemplateValues = Partial<Record<'after' | 'window' | 'limit' | 'retryAfterSeconds' | 'name', string[]>>;

/**
 * - `shape`: the same keys (none missing, none extra), the same array lengths, every leaf without a
 *   placeholder exactly equal, and every leaf with one a string.
 * - `placeholders`: only the leaves with placeholders, which must read as the template with one of the
 *   accepted values in each placeholder.
 */
export type TemplateMode = 'shape' | 'placeholders';

const hasPlaceholder = (value: unknown): value is string => typeof value === 'string' && new RegExp(PLACEHOLDER.source).test(value);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const show = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value));
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regular expression for a template string, e.g. `^Rate limit exceeded, retry in (?:2 seconds|1 second)$`. */
export function templatePattern(template: string, values: TemplateValues): RegExp {
  let source = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] as keyof TemplateValues;
    const accepted = values[name] ?? [];
    source += escapeRegExp(template.slice(last, match.index)) + (accepted.length > 0 ? `(?:${accepted.map(escapeRegExp).join('|')})` : '.+');
    last = (match.index ?? 0) + match[0].length;
  }
  return new RegExp(`^${source}${escapeRegExp(template.slice(last))}$`);
}

/** Lists how `actual` differs from the template, each difference led by its JSON pointer. */
export function compareToTemplate(template: unknown, actual: unknown, values: TemplateValues, mode: TemplateMode, pointer = ''): string[] {
  const at = pointer === '' ? '(body)' : pointer;
  if (hasPlaceholder(template)) {
    if (typeof actual !== 'string') return mode === 'shape' ? [`${at}: expected a string like ${show(template)}, got ${show(actual)}`] : [];
    if (mode === 'shape' || templatePattern(template, values).test(actual)) return [];
    const example = template.replace(PLACEHOLDER, (_, name: keyof TemplateValues) => values[name]?.[0] ?? `{${name}}`);
    return [
      `${at}: expected ${show(example)}${template.includes('{after}') && (values.after?.length ?? 0) > 1 ? ` (or the same with ${values.after?.slice(1).map(show).join(' or ')})` : ''}, got ${show(actual)}`,
    ];
  }
  if (Array.isArray(template)) {
    if (!Array.isArray(actual)) return mode === 'shape' ? [`${at}: expected an array, got ${show(actual)}`] : [];
    const problems = mode === 'shape' && actual.length !== template.length ? [`${at}: expected ${template.length} item(s), got ${actual.length}`] : [];
    for (const [i, item] of template.entries()) problems.push(...compareToTemplate(item, actual[i], values, mode, `${pointer}/${i}`));
    return problems;
  }
  if (isObject(template)) {
    if (!isObject(actual)) return mode === 'shape' ? [`${at}: expected an object with ${Object.keys(template).map(show).join(', ')}, got ${show(actual)}`] : [];
    const problems: string[] = [];
    for (const [key, value] of Object.entries(template)) {
      if (!(key in actual)) {
        if (mode === 'shape') problems.push(`${pointer}/${key}: missing (expected ${show(value)})`);
      } else problems.push(...compareToTemplate(value, actual[key], values, mode, `${pointer}/${key}`));
    }
    if (mode === 'shape')
      for (const key of Object.keys(actual)) if (!(key in template)) problems.push(`${pointer}/${key}: not documented (got ${show(actual[key])})`);
    return problems;
  }
  if (mode === 'shape' && template !== actual) return [`${at}: expected ${show(template)}, got ${show(actual)}`];
  return [];
}

/** True when the template has a leaf with a placeholder (so its wording can be checked). */
export const templateHasPlaceholders = (template: unknown): boolean => new RegExp(PLACEHOLDER.source).test(JSON.stringify(template ?? null));
