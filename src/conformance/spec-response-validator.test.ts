import { describe, expect, it } from 'vitest';
import { createResponseValidator } from './spec-response-validator.js';

const document = (openapi: string) => ({
  openapi,
  paths: {
    '/x/{id}': {
      get: {
        responses: {
          '429': { $ref: '#/components/responses/Limited' },
          default: { description: 'other', content: { 'text/plain': { schema: { type: 'string' } } } },
        },
      },
    },
  },
  components: {
    headers: { RetryAfter: { required: true, schema: { type: 'integer', minimum: 0 } } },
    responses: {
      Limited: {
        description: 'limited',
        headers: { 'retry-after': { $ref: '#/components/headers/RetryAfter' } },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Body' } } },
      },
    },
    schemas: {
      Body: { type: 'object', required: ['code'], additionalProperties: false, properties: { code: { const: 429 }, hint: { type: 'string', nullable: true } } },
    },
  },
});
const json = { 'content-type': 'application/json; charset=utf-8' };

describe('createResponseValidator', () => {
  it('validates status, content type, headers (deserialized by schema type) and body by reference into the spec', async () => {
    const validate = await createResponseValidator(document('3.1.0'));
    expect(validate('GET', '/x/{id}', { status: 429, headers: { ...json, 'retry-after': '3' }, text: '{"code":429}' })).toEqual({
      declaredAt: '#/components/responses/Limited',
      problems: [],
    });
    expect(validate('GET', '/x/{id}', { status: 429, headers: { ...json, 'retry-after': 'soon' }, text: '{"code":428,"x":1}' })?.problems).toEqual([
      'body must NOT have additional properties ("x")',
      'body/code must be equal to constant (429)',
      'header retry-after must be integer',
    ]);
    expect(validate('GET', '/x/{id}', { status: 429, headers: { 'content-type': 'text/html' }, text: '<p>' })?.problems).toEqual([
      'content-type "text/html" is not one the spec declares (application/json)',
      'header retry-after is required but missing',
    ]);
  });
  it('falls back to default, and says when nothing is declared', async () => {
    const validate = await createResponseValidator(document('3.1.0'));
    expect(validate('GET', '/x/{id}', { status: 500, headers: { 'content-type': 'text/plain' }, text: 'boom' })?.declaredAt).toBe(
      '#/paths/~1x~1{id}/get/responses/default',
    );
    expect(validate('POST', '/x/{id}', { status: 429, headers: {}, text: '' })).toBeUndefined();
  });
  it('reads OpenAPI 3.0 nullable', async () => {
    const validate = await createResponseValidator(document('3.0.3'));
    expect(validate('GET', '/x/{id}', { status: 429, headers: { ...json, 'retry-after': '0' }, text: '{"code":429,"hint":null}' })?.problems).toEqual([]);
  });
});
