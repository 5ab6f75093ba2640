import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { policyJsonSchema } from '../src/core/policy-schema.js';

// The shipped schema is written once by hand from policyJsonSchema; this keeps the two from drifting.
// To refresh it, print JSON.stringify(policyJsonSchema, null, 2) into openapi/x-rate-limit.schema.json.
it('openapi/x-rate-limit.schema.json equals the schema the code validates with', () => {
  const shipped: unknown = JSON.parse(readFileSync(new URL('../openapi/x-rate-limit.schema.json', import.meta.url), 'utf8'));
  expect(shipped).toEqual(JSON.parse(JSON.stringify(policyJsonSchema)));
});
