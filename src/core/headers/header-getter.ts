import type { HeaderGetter } from './read-headers.js';

/** Headers as clients and servers hand them over: fetch's `Headers`, a plain object (node, got, axios), or a flat [name, value, …] list. */
export type AnyHeaders = { get(name: string): string | null | undefined } | Record<string, unknown> | readonly string[];

const text = (value: unknown): string | undefined => {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(String).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
};

/**
 * A case-insensitive getter over any header container. Repeated fields are joined with ", " (RFC 9110
 * §5.3), which is also how a Structured Field List split over several lines reads as one.
 */
export function headerGetter(headers: AnyHeaders): HeaderGetter {
  if (Array.isArray(headers)) {
    const flat = headers as readonly string[];
    return (name) => {
      const wanted = name.toLowerCase();
      const values: string[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) if ((flat[i] as string).toLowerCase() === wanted) values.push(flat[i + 1] as string);
      return values.length === 0 ? undefined : values.join(', ');
    };
  }
  const container = headers as { get?: unknown } & Record<string, unknown>;
  if (typeof container.get === 'function') {
    const get = container.get as (name: string) => unknown;
    return (name) => text(get.call(headers, name)) ?? undefined;
  }
  const lower = new Map<string, unknown>();
  for (const [name, value] of Object.entries(container)) lower.set(name.toLowerCase(), value);
  return (name) => text(lower.get(name.toLowerCase()));
}
