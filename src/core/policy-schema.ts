/** JSON Schema (draft 2020-12) of the `x-rate-limit` OpenAPI extension. Also shipped as openapi/x-rate-limit.schema.json. */
export const policyJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://ratelimit-contract.dev/schemas/x-rate-limit.json',
  title: 'x-rate-limit',
  description: 'A rate-limit policy for the API the OpenAPI document describes.',
  type: 'object',
  additionalProperties: false,
  required: ['limit', 'window', 'key', 'rejection'],
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 9007199254740991, description: 'Requests allowed per window, per key.' },
    window: {
      description: 'Window length: a duration such as "10s", "1m", "1 minute", or an integer of milliseconds.',
      oneOf: [
        { type: 'integer', minimum: 1, maximum: 9007199254740991 },
        { type: 'string', minLength: 1 },
      ],
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
        principal: { type: 'string', description: 'What the key names, e.g. "organization" or "client".' },
        fallback: { enum: ['ip'], default: 'ip' },
      },
      if: { properties: { by: { enum: ['header', 'principal'] } } },
      // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword (if/then), not a thenable.
      then: { required: ['header'] },
    },
    scope: {
      type: 'object',
      additionalProperties: false,
      properties: {
        include: { type: 'array', items: { $ref: '#/$defs/pathPattern' }, minItems: 1, default: ['/**'] },
        exempt: { type: 'array', items: { $ref: '#/$defs/pathPattern' }, default: [] },
      },
    },
    headers: {
      type: 'object',
      additionalProperties: false,
      properties: {
        limit: { $ref: '#/$defs/headerName' },
        remaining: { $ref: '#/$defs/headerName' },
        reset: { $ref: '#/$defs/headerName' },
        retryAfter: { $ref: '#/$defs/headerName' },
      },
    },
    env: {
      type: 'object',
      additionalProperties: false,
      properties: {
        limit: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$' },
        window: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$' },
      },
    },
    rejection: {
      type: 'object',
      additionalProperties: false,
      required: ['body'],
      properties: {
        status: { type: 'integer', minimum: 400, maximum: 599, default: 429 },
        contentType: {
          type: 'string',
          // A header value (RFC 9110 §5.5, as node checks it): no CR, LF, NUL or other control character but HTAB.
          pattern: '^[\\t\\x20-\\x7e\\x80-\\xff]*$',
          default: 'application/json; charset=utf-8',
        },
        body: { description: 'The rejection body. Strings may hold {after}, {window}, {limit} and {retryAfterSeconds}.' },
      },
    },
    notes: { type: 'string', description: 'Why the policy reads as it does (free text).' },
  },
  $defs: {
    pathPattern: { type: 'string', pattern: '^/' },
    headerName: { type: 'string', pattern: "^[a-z0-9!#$%&'*+.^_`|~-]+$", description: 'A lower-case header name.' },
  },
} as const;
