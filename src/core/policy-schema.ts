// JSON Schema (draft 2020-12) of the `x-rate-limit` OpenAPI extension, at the document's root (the whole
// policy) and on an operation (`$defs/operationPolicy`). Shipped as openapi/x-rate-limit.schema.json; the
// editor schema and the ahead-of-time validator are generated from it (scripts/build-*.mjs).

const MAX = 9007199254740991;
const positiveInteger = { type: 'integer', minimum: 1, maximum: MAX } as const;
const headerName = { $ref: '#/$defs/headerName' } as const;

/** The fields of a rejection (the root's, or a limit's over it). */
const rejectionFields = {
  status: { type: 'integer', minimum: 400, maximum: 599, default: 429 },
  contentType: {
    type: 'string',
    // A header value (RFC 9110 §5.5, as node checks it): no CR, LF, NUL or other control character but HTAB.
    pattern: '^[\\t\\x20-\\x7e\\x80-\\xff]*$',
    default: 'application/json; charset=utf-8',
  },
  body: { description: 'The rejection body. Strings may hold {after}, {window}, {limit}, {retryAfterSeconds} and {name}.' },
  retryAfter: { type: 'boolean', default: true, description: 'false: no retry-after on this rejection (GitHub primary limits).' },
} as const;

/** A limit's fields, shared by a root limit, the root's one-limit shape and an operation's limit. */
const limitFields = {
  limit: { ...positiveInteger, description: 'Units (requests, unless `cost` says otherwise) allowed per window, per key.' },
  window: { $ref: '#/$defs/window' },
  algorithm: { $ref: '#/$defs/algorithm' },
  key: { $ref: '#/$defs/key' },
  fallbackLimit: {
    ...positiveInteger,
    description: 'The limit for requests the key falls back to the IP for (no credential), e.g. GitHub: 60 an hour unauthenticated.',
  },
  cost: { $ref: '#/$defs/cost' },
  unit: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', default: 'requests', description: 'What a unit is: requests, tokens, content-bytes…' },
  bucket: {
    enum: ['shared', 'operation'],
    default: 'shared',
    description: 'shared: one budget per key wherever the limit applies; operation: one budget per operation.',
  },
  report: { type: 'boolean', default: true, description: 'false: the limit sends no rate-limit headers (e.g. GitHub secondary limits).' },
  headers: { $ref: '#/$defs/limitHeaders' },
  rejection: { $ref: '#/$defs/limitRejection' },
} as const;

export const policyJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://ratelimit-contract.dev/schemas/x-rate-limit.json',
  title: 'x-rate-limit',
  description:
    'The rate-limit policy of the API the OpenAPI document describes: one limit (limit, window, key at the root) or several (limits). An operation may carry an x-rate-limit of its own (the operationPolicy definition).',
  type: 'object',
  additionalProperties: false,
  required: ['rejection'],
  properties: {
    limit: { ...limitFields.limit, description: 'The one limit: units per window, per key (or use `limits` for several).' },
    window: limitFields.window,
    algorithm: limitFields.algorithm,
    key: { ...limitFields.key, description: 'How a budget is named; the default of every limit in `limits`.' },
    fallbackLimit: limitFields.fallbackLimit,
    cost: limitFields.cost,
    unit: limitFields.unit,
    limits: {
      type: 'array',
      minItems: 1,
      items: { $ref: '#/$defs/limit' },
      description: 'Several named limits, checked in order; the first one a request does not fit decides its rejection.',
    },
    stacking: {
      enum: ['atomic', 'in-order'],
      default: 'atomic',
      description:
        'What a rejected request spends: atomic, nothing; in-order, the limits before the rejecting one (stacked middlewares, e.g. two express-rate-limit instances).',
    },
    scope: {
      type: 'object',
      additionalProperties: false,
      properties: {
        include: { type: 'array', items: { $ref: '#/$defs/pathPattern' }, minItems: 1, default: ['/**'] },
        exempt: { type: 'array', items: { $ref: '#/$defs/pathPattern' }, default: [] },
      },
    },
    headers: { $ref: '#/$defs/headers' },
    env: {
      type: 'object',
      additionalProperties: false,
      description: 'Env vars a deployment overrides the (first) limit and its window with.',
      properties: {
        limit: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$' },
        window: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$' },
      },
    },
    rejection: { $ref: '#/$defs/rejection' },
    notes: { type: 'string', description: 'Why the policy reads as it does (free text).' },
  },
  // One limit at the root, or several in `limits`: never both.
  if: { required: ['limits'] },
  // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword (if/then), not a thenable.
  then: {
    not: { anyOf: [{ required: ['limit'] }, { required: ['window'] }, { required: ['fallbackLimit'] }, { required: ['cost'] }, { required: ['unit'] }] },
  },
  else: { required: ['limit', 'window', 'key'] },
  $defs: {
    window: {
      description: 'Window length: a duration such as "10s", "1m", "1 minute", or an integer of milliseconds.',
      oneOf: [{ ...positiveInteger }, { type: 'string', minLength: 1 }],
    },
    algorithm: { enum: ['fixed-window', 'sliding-window', 'token-bucket'], default: 'fixed-window' },
    key: {
      type: 'object',
      required: ['by'],
      additionalProperties: false,
      properties: {
        by: { enum: ['ip', 'header', 'principal'] },
        header: { type: 'string', pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$" },
        scheme: { type: 'string', description: 'Auth scheme stripped from the header value, e.g. "Bearer".' },
        principal: { type: 'string', pattern: '^(?!ip$).+', description: 'What the key names, e.g. "organization" or "client" (not "ip").' },
        fallback: { enum: ['ip'], default: 'ip' },
      },
      if: { properties: { by: { enum: ['header', 'principal'] } } },
      // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword (if/then), not a thenable.
      then: { required: ['header'] },
    },
    cost: {
      description: 'Units a request spends: a whole number, or read from the request (body JSON pointer, query parameter or header).',
      oneOf: [
        { type: 'integer', minimum: 0, maximum: MAX },
        {
          type: 'object',
          additionalProperties: false,
          required: ['body'],
          properties: {
            body: { type: 'string', pattern: '^/', description: 'JSON pointer into the JSON body, e.g. /max_tokens.' },
            default: { $ref: '#/$defs/units' },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['query'],
          properties: { query: { type: 'string', minLength: 1 }, default: { $ref: '#/$defs/units' } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['header'],
          properties: { header: { $ref: '#/$defs/headerName' }, default: { $ref: '#/$defs/units' } },
        },
      ],
    },
    units: { type: 'integer', minimum: 0, maximum: MAX, default: 1, description: 'The cost when the field is missing or not a whole number ≥ 0.' },
    limitName: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', description: 'A name for the limit, e.g. burst, quota, requests, tokens, core.' },
    limit: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'limit', 'window'],
      properties: { name: { $ref: '#/$defs/limitName' }, ...limitFields },
    },
    limitOverride: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      description: "A root limit's name with the fields this operation changes, or a new limit (then limit and window are required).",
      properties: { name: { $ref: '#/$defs/limitName' }, ...limitFields },
    },
    operationPolicy: {
      type: 'object',
      additionalProperties: false,
      description: "An operation's own x-rate-limit: it adds limits to the root's or overrides them by name, and may set a cost.",
      properties: {
        inherit: { type: 'boolean', default: true, description: 'false: only the limits listed here apply to the operation.' },
        cost: { $ref: '#/$defs/cost' },
        limits: { type: 'array', minItems: 1, items: { $ref: '#/$defs/limitOverride' } },
        notes: { type: 'string' },
      },
    },
    headers: {
      type: 'object',
      additionalProperties: false,
      properties: {
        style: {
          enum: ['named', 'draft-6', 'draft-7', 'draft-8', 'draft-12'],
          default: 'named',
          description: 'named: the headers below; draft-6/7/8/12: the fields of that draft of the IETF RateLimit headers.',
        },
        limit: headerName,
        remaining: headerName,
        reset: headerName,
        used: headerName,
        resource: headerName,
        retryAfter: headerName,
        resetFormat: {
          enum: ['seconds', 'epoch-seconds', 'duration'],
          default: 'seconds',
          description: 'seconds until the reset, the epoch second of the reset, or a duration such as 6m0s.',
        },
        retryAfterFormat: { enum: ['seconds', 'http-date'], default: 'seconds' },
        partitionKey: { type: 'boolean', default: false, description: 'draft-8/draft-12: add a pk partition key, as express-rate-limit 8 does.' },
      },
    },
    limitHeaders: {
      type: 'object',
      additionalProperties: false,
      description: 'Header names of this limit alone (named style), e.g. OpenAI: x-ratelimit-remaining-tokens.',
      properties: { limit: headerName, remaining: headerName, reset: headerName, used: headerName },
    },
    rejection: {
      type: 'object',
      additionalProperties: false,
      required: ['body'],
      properties: rejectionFields,
    },
    limitRejection: {
      type: 'object',
      additionalProperties: false,
      description: "This limit's rejection, over the root's.",
      properties: rejectionFields,
    },
    pathPattern: { type: 'string', pattern: '^/' },
    headerName: { type: 'string', pattern: "^[a-z0-9!#$%&'*+.^_`|~-]+$", description: 'A lower-case header name.' },
  },
} as const;
