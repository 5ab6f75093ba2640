import { STATUS_CODES } from 'node:http';
import type { CheckResult, Exchange, ProbeRequest } from './conformance-check.js';

const NOISE = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/**
 * `GET /v1/x  authorization: Bearer rl_test_…  from 127.0.0.3`. Results reach reporters with their
 * credentials already masked (see mask-credentials.ts), so this prints headers as they are.
 */
export function describeRequest(request: ProbeRequest): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`);
  const body = request.body === undefined ? '' : `  body ${request.body.length > 60 ? `${request.body.slice(0, 60)}…` : request.body}`;
  const connection =
    request.connection === 'fresh' ? '  over a new connection' : typeof request.connection === 'number' ? `  over keep-alive socket ${request.connection}` : '';
  return `${request.method} ${request.path}${headers.length > 0 ? `  (${headers.join(', ')})` : ''}${request.localAddress ? `  from ${request.localAddress}` : ''}${connection}${body}`;
}

/** `429 Too Many Requests  x-ratelimit-limit: 5, …  {"statusCode":429,…}`. */
export function describeResponse(exchange: Exchange): string {
  const { status, headers, text } = exchange.response;
  const shown = Object.entries(headers)
    .filter(([name]) => !NOISE.has(name))
    .map(([name, value]) => `${name}: ${value}`);
  const body = text.length > 160 ? `${text.slice(0, 160)}…` : text;
  return `${status} ${STATUS_CODES[status] ?? ''}${shown.length > 0 ? `  (${shown.join(', ')})` : ''}${body ? `  ${body}` : ''}`;
}

/**
 * The failure of a check as lines a user can act on: what is wrong, the request that showed it (and
 * its response), expected vs actual, and the doc clause.
 */
export function formatFailure(result: CheckResult, indent = '    '): string {
  const failure = result.failure;
  if (!failure) return '';
  const lines = [failure.summary];
  if (failure.exchange) {
    lines.push(`request:  ${describeRequest(failure.exchange.request)}`);
    lines.push(`as:       ${failure.exchange.caller}${failure.exchange.step ? `, ${failure.exchange.step}` : ''}`);
    lines.push(`response: ${describeResponse(failure.exchange)}`);
  }
  lines.push(`expected: ${failure.expected}`, `actual:   ${failure.actual}`, `doc:      "${result.clause}"`);
  return lines.map((line, i) => (i === 0 ? line : `${indent}${line}`)).join('\n');
}
