import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { GENERATED_FILE, generatePolicyValidatorSource } from '../scripts/build-policy-validator.mjs';
import { policyJsonSchema } from '../src/core/policy-schema.js';

it('the precompiled policy validator matches policy-schema.ts (else run scripts/build-policy-validator.mjs)', () => {
  expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(generatePolicyValidatorSource(policyJsonSchema));
});
