import { describe, expect, it } from 'vitest';
import { compareToTemplate, templatePattern } from './rejection-template.js';

const fastify = { statusCode: 429, error: 'Too Many Requests', message: 'Rate limit exceeded, retry in {after}' };
const values = { after: ['38 seconds', '1 minute'] };

describe('compareToTemplate', () => {
  it('accepts the documented shape and either wording of {after}', () => {
    for (const message of ['Rate limit exceeded, retry in 38 seconds', 'Rate limit exceeded, retry in 1 minute']) {
      const body = { statusCode: 429, error: 'Too Many Requests', message };
      expect(compareToTemplate(fastify, body, values, 'shape')).toEqual([]);
      expect(compareToTemplate(fastify, body, values, 'placeholders')).toEqual([]);
    }
  });
  it('names each difference by JSON pointer: missing, extra and wrong fields', () => {
    expect(compareToTemplate(fastify, { statusCode: 429, error: 'Rate limited', message: 'x', code: 'E' }, values, 'shape')).toEqual([
      '/error: expected "Too Many Requests", got "Rate limited"',
      '/code: not documented (got "E")',
    ]);
    expect(compareToTemplate({ success: false, messages: [{ type: 'FAILURE' }], data: null }, { success: false, messages: [], data: 0 }, {}, 'shape')).toEqual([
      '/messages: expected 1 item(s), got 0',
      '/messages/0: expected an object with "type", got nothing',
      '/data: expected null, got 0',
    ]);
  });
  it('checks wording only in placeholder mode, and shape only in shape mode', () => {
    const body = { statusCode: 429, error: 'Too Many Requests', message: 'Rate limit exceeded' };
    expect(compareToTemplate(fastify, body, values, 'shape')).toEqual([]);
    expect(compareToTemplate(fastify, body, values, 'placeholders')).toEqual([
      '/message: expected "Rate limit exceeded, retry in 38 seconds" (or the same with "1 minute"), got "Rate limit exceeded"',
    ]);
  });
  it('escapes the literal parts of a template', () => {
    expect(templatePattern('a.b {limit} (c)', { limit: ['5'] }).test('a.b 5 (c)')).toBe(true);
    expect(templatePattern('a.b {limit} (c)', { limit: ['5'] }).test('axb 5 (c)')).toBe(false);
  });
});
