import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { generateOpenApiSchema, OPENAPI_SCHEMA_FILE } from '../scripts/build-openapi-schema.mjs';
import { policyJsonSchema } from '../src/core/policy-schema.js';
import { loadSpec } from '../src/openapi/load-spec.js';

// The editor schema for a whole OpenAPI file (yaml-language-server modeline, VS Code json.schemas). It is
// draft-07, the dialect every editor's validator reads, so ajv's default (draft-07) validator checks it here.
const shipped = JSON.parse(readFileSync(OPENAPI_SCHEMA_FILE, 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(shipped);
type Doc = Record<string, unknown> & { 'x-rate-limit': Record<string, unknown> };
const reconlayer = () => structuredClone(loadSpec('openapi/reconlayer.yaml').document) as Doc;

const errorsOf = (document: unknown) => {
  validate(document);
  return (validate.errors ?? []).map((e) => e.instancePath);
};

it('openapi/openapi-with-x-rate-limit.schema.json is generated from policy-schema.ts (else run scripts/build-openapi-schema.mjs)', () => {
  expect(shipped).toEqual(JSON.parse(JSON.stringify(generateOpenApiSchema(policyJsonSchema))));
  expect(shipped.$schema).toBe('http://json-schema.org/draft-07/schema#');
  expect(JSON.stringify(shipped)).not.toContain('$defs');
});

describe('the editor schema', () => {
  it.each(['openapi/reconlayer.yaml', 'openapi/authmatech.yaml'])('accepts the shipped %s', (file) => {
    expect(errorsOf(loadSpec(file).document)).toEqual([]);
  });

  it.each<[string, (doc: Doc) => void, string]>([
    [
      'an upper-case header name',
      (doc) => ((doc['x-rate-limit'].headers as Record<string, string>).limit = 'X-RateLimit-Limit'),
      '/x-rate-limit/headers/limit',
    ],
    ['window 0', (doc) => (doc['x-rate-limit'].window = 0), '/x-rate-limit/window'],
    ['an unknown policy field', (doc) => (doc['x-rate-limit'].burst = 10), '/x-rate-limit'],
    [
      'an exempt pattern without a leading /',
      (doc) => ((doc['x-rate-limit'].scope as Record<string, string[]>).exempt = ['health']),
      '/x-rate-limit/scope/exempt/0',
    ],
    ['a missing x-rate-limit', (doc) => delete (doc as Record<string, unknown>)['x-rate-limit'], ''],
    ['a Swagger 2.0 version', (doc) => (doc.openapi = '2.0'), '/openapi'],
    ['a path without a leading /', (doc) => ((doc.paths as Record<string, unknown>)['v1/items'] = {}), '/paths'],
  ])('rejects %s', (_name, modify, pointer) => {
    const doc = reconlayer();
    modify(doc);
    expect(errorsOf(doc)).toContain(pointer);
  });
});
