// The fields of draft-ietf-httpapi-ratelimit-headers, serialised and parsed as RFC 9651 Structured Fields
// with the structured-headers package (never by hand). Field names are the drafts'; writers send them in
// lower case (HTTP field names are case-insensitive).
import { type BareItem, type Item, type Parameters, parseDictionary, parseList, serializeDictionary, serializeList, Token } from 'structured-headers';

export const RATELIMIT = 'ratelimit';
export const RATELIMIT_POLICY = 'ratelimit-policy';
export const RATELIMIT_LIMIT = 'ratelimit-limit';
export const RATELIMIT_REMAINING = 'ratelimit-remaining';
export const RATELIMIT_RESET = 'ratelimit-reset';

/** One quota policy: RateLimit-Policy's member (`100;w=60` up to draft-7, `"burst";q=100;w=60` from draft-8). */
export interface QuotaPolicyItem {
  /** The policy's name (draft-8 and later). */
  name?: string;
  quota: number;
  windowSeconds?: number;
  /** `qu`: the quota unit when not requests. */
  unit?: string;
  partitionKey?: Uint8Array;
}

/** One service limit: RateLimit's member from draft-8 on (`"burst";r=50;t=30`). */
export interface ServiceLimitItem {
  name: string;
  remaining: number;
  resetSeconds?: number;
  partitionKey?: Uint8Array;
}

/** draft-6 and draft-7: `100;w=60, 1000;w=3600` (Integer items). */
export function serializeIntegerPolicies(items: readonly QuotaPolicyItem[]): string {
  return serializeList(items.map((p): Item => [p.quota, new Map(p.windowSeconds === undefined ? [] : [['w', p.windowSeconds]])]));
}

/** draft-8 and draft-12: `"burst";q=100;w=60, "daily";q=1000;w=86400` (String items with parameters). */
export function serializeNamedPolicies(items: readonly QuotaPolicyItem[]): string {
  return serializeList(
    items.map((p): Item => {
      const params: Parameters = new Map<string, BareItem>([['q', p.quota]]);
      if (p.windowSeconds !== undefined) params.set('w', p.windowSeconds);
      if (p.unit !== undefined && p.unit !== 'requests') params.set('qu', p.unit);
      if (p.partitionKey !== undefined) params.set('pk', p.partitionKey);
      return [p.name ?? 'default', params];
    }),
  );
}

/** draft-8 and draft-12: `"burst";r=50;t=30, "daily";r=999;t=3600`. */
export function serializeServiceLimits(items: readonly ServiceLimitItem[]): string {
  return serializeList(
    items.map((s): Item => {
      const params: Parameters = new Map<string, BareItem>([['r', s.remaining]]);
      if (s.resetSeconds !== undefined) params.set('t', s.resetSeconds);
      if (s.partitionKey !== undefined) params.set('pk', s.partitionKey);
      return [s.name, params];
    }),
  );
}

/** draft-7: `limit=100, remaining=50, reset=30` (a Dictionary). */
export function serializeDraft7(limit: number, remaining: number, resetSeconds: number): string {
  return serializeDictionary(
    new Map([
      ['limit', [limit, new Map()] as Item],
      ['remaining', [remaining, new Map()] as Item],
      ['reset', [resetSeconds, new Map()] as Item],
    ]),
  );
}

/** A parse that failed, in words: the parser's reason, and what the text reads as instead when that is telling. */
export class FieldSyntaxError extends Error {}

const wholeNumber = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined);
const bytes = (value: unknown): Uint8Array | undefined => (value instanceof ArrayBuffer ? new Uint8Array(value) : undefined);
const nameOf = (value: BareItem): string | undefined => (typeof value === 'string' ? value : value instanceof Token ? value.toString() : undefined);

function list(text: string, what: string): Item[] {
  let parsed: ReturnType<typeof parseList>;
  try {
    parsed = parseList(text);
  } catch (error) {
    let hint = '';
    try {
      const dict = parseDictionary(text);
      if (dict.has('remaining') || dict.has('limit')) hint = ' (it reads as draft-7 syntax, limit=…, remaining=…, reset=…)';
    } catch {
      // not a Dictionary either
    }
    throw new FieldSyntaxError(`is not a Structured Field List of ${what}${hint}: ${(error as Error).message}`);
  }
  if (parsed.some((member) => Array.isArray(member[0]))) throw new FieldSyntaxError(`holds an inner list where ${what} are expected`);
  return parsed as Item[];
}

/** Reads RateLimit-Policy. `named`: draft-8 and later (String items); else draft-6/7 (Integer items). Throws FieldSyntaxError. */
export function parsePolicies(text: string, named: boolean): { items: QuotaPolicyItem[]; tokenNames: boolean } {
  let tokenNames = false;
  const items = list(text, named ? 'named quota policies ("name";q=…;w=…)' : 'quota policies (100;w=60)').map(([value, params]): QuotaPolicyItem => {
    const window = params.get('w');
    const unit = params.get('qu');
    if (!named) {
      const quota = wholeNumber(value);
      if (quota === undefined) throw new FieldSyntaxError(`has ${JSON.stringify(String(value))} where a quota (a whole number, e.g. 100;w=60) is expected`);
      return { quota, windowSeconds: wholeNumber(window) };
    }
    const name = nameOf(value);
    if (name === undefined) {
      const hint = typeof value === 'number' ? ' (it reads as draft-6/7 syntax, 100;w=60)' : '';
      throw new FieldSyntaxError(`has ${String(value)} where a policy name (a quoted String, "name";q=…;w=…) is expected${hint}`);
    }
    if (value instanceof Token) tokenNames = true;
    const quota = wholeNumber(params.get('q'));
    if (quota === undefined) throw new FieldSyntaxError(`has no q=<quota> (a whole number) on policy "${name}"`);
    return { name, quota, windowSeconds: wholeNumber(window), unit: typeof unit === 'string' ? unit : undefined, partitionKey: bytes(params.get('pk')) };
  });
  return { items, tokenNames };
}

/** Reads RateLimit from draft-8 on: a List of `"name";r=…;t=…`. Throws FieldSyntaxError. */
export function parseServiceLimits(text: string): { items: ServiceLimitItem[]; tokenNames: boolean } {
  let tokenNames = false;
  const items = list(text, 'service limits ("name";r=…;t=…)').map(([value, params]): ServiceLimitItem => {
    const name = nameOf(value);
    if (name === undefined) throw new FieldSyntaxError(`has ${JSON.stringify(String(value))} where a policy name (a quoted String) is expected`);
    if (value instanceof Token) tokenNames = true;
    const remaining = wholeNumber(params.get('r'));
    if (remaining === undefined) throw new FieldSyntaxError(`has no r=<remaining> (a whole number) on policy "${name}"`);
    return { name, remaining, resetSeconds: wholeNumber(params.get('t')), partitionKey: bytes(params.get('pk')) };
  });
  return { items, tokenNames };
}

/** Reads draft-7's RateLimit Dictionary: `limit=100, remaining=50, reset=30`. Throws FieldSyntaxError. */
export function parseDraft7(text: string): { limit?: number; remaining?: number; resetSeconds?: number } {
  let dict: ReturnType<typeof parseDictionary>;
  try {
    dict = parseDictionary(text);
  } catch (error) {
    const hint = /"[^"]*"\s*;\s*r=/.test(text) ? ' (it reads as draft-8 syntax, "name";r=…;t=…)' : '';
    throw new FieldSyntaxError(`is not a Structured Field Dictionary (limit=…, remaining=…, reset=…)${hint}: ${(error as Error).message}`);
  }
  const member = (key: string) => {
    const entry = dict.get(key);
    return entry === undefined || Array.isArray(entry[0]) ? undefined : wholeNumber(entry[0]);
  };
  const remaining = member('remaining');
  if (remaining === undefined) throw new FieldSyntaxError('has no remaining=<whole number>');
  return { limit: member('limit'), remaining, resetSeconds: member('reset') };
}
