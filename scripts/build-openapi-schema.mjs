// Generates openapi/openapi-with-x-rate-limit.schema.json: a JSON Schema for a whole OpenAPI 3.x file that
// carries the x-rate-limit extension, for editors (yaml-language-server, VS Code). It is draft-07, which
// every editor's validator reads, with the policy schema of src/core/policy-schema.ts embedded.
// Run after editing that file: npm run build && node scripts/build-openapi-schema.mjs
// (test/openapi-schema-file.test.ts fails while the shipped file is stale).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const OPENAPI_SCHEMA_FILE = fileURLToPath(new URL('../openapi/openapi-with-x-rate-limit.schema.json', import.meta.url));

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Rewrites 2020-12 `$defs` references into draft-07 `definitions` ones. */
function toDraft07(node) {
  if (Array.isArray(node)) return node.map(toDraft07);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? value.replace('#/$defs/', '#/definitions/') : toDraft07(value),
    ]),
  );
}

/** The whole-document schema for a policy schema (policyJsonSchema). */
export function generateOpenApiSchema(policySchema) {
  const { $schema, $id, $defs, ...policy } = policySchema;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://ratelimit-contract.dev/schemas/openapi-with-x-rate-limit.json',
    title: 'OpenAPI 3.x document with an x-rate-limit extension',
    description:
      "Checks the x-rate-limit extension in full (at the root, and each operation's own) and the top level of the document. `ratelimit-contract lint` checks the rest: the OpenAPI structure (Redocly) and that the operations agree with the policy.",
    type: 'object',
    required: ['openapi', 'info', 'paths', 'x-rate-limit'],
    properties: {
      openapi: { type: 'string', pattern: '^3\\.\\d+\\.\\d+', description: 'The OpenAPI version, e.g. 3.1.0 (OpenAPI 3.0 and 3.1 are supported).' },
      info: {
        type: 'object',
        required: ['title', 'version'],
        properties: { title: { type: 'string' }, version: { type: 'string' } },
      },
      paths: {
        type: 'object',
        description: "The API's routes; each key is a path template such as /v1/items/{id}.",
        propertyNames: { pattern: '^(/|x-)' },
        patternProperties: { '^/': { $ref: '#/definitions/pathItem' } },
      },
      components: { type: 'object' },
      'x-rate-limit': { $ref: '#/definitions/xRateLimit' },
    },
    definitions: toDraft07({
      xRateLimit: policy,
      ...$defs,
      // An operation's own x-rate-limit: the rest of a path item and its operations is Redocly's to check.
      pathItem: {
        type: 'object',
        properties: Object.fromEntries(METHODS.map((method) => [method, { $ref: '#/$defs/operation' }])),
      },
      operation: { type: 'object', properties: { 'x-rate-limit': { $ref: '#/$defs/operationPolicy' } } },
    }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { policyJsonSchema } = await import('../dist/core/policy-schema.js');
  writeFileSync(OPENAPI_SCHEMA_FILE, `${JSON.stringify(generateOpenApiSchema(policyJsonSchema), null, 2)}\n`);
  console.log(`wrote ${OPENAPI_SCHEMA_FILE}`);
}
