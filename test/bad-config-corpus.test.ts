import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliHere } from './support/run-cli.js';

// Bad configuration corpus: every flag, env var, spec field and credentials-file problem, run through the
// CLI's runCli in process (what the bin runs, with its exit code, stdout and stderr), and a handful through
// the built bin as a user runs it. Each must print exactly one stderr line that names the culprit (the flag,
// the env var, or file#/json/pointer) and says how to fix it, exit 2, print no banner and no stack trace.
const scratch = mkdtempSync(join(tmpdir(), 'rlc-bad-config-'));
const file = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

const VALID_POLICY = {
  limit: 10,
  window: '1m',
  key: { by: 'header', header: 'x-client-id', principal: 'client' },
  env: { limit: 'MY_LIMIT', window: 'MY_WINDOW' },
  rejection: { body: { error: 'slow down' } },
};
const specText = (policy: unknown) =>
  `openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n${policy === undefined ? '' : `x-rate-limit: ${JSON.stringify(policy)}\n`}`;
/** A spec whose x-rate-limit is the valid policy with one field replaced (undefined removes it). */
const specWith = (name: string, patch: (policy: Record<string, unknown>) => void) => {
  const policy = structuredClone(VALID_POLICY) as Record<string, unknown>;
  patch(policy);
  return file(`${name}.yaml`, specText(policy));
};
const GOOD_SPEC = specWith('good', () => undefined);

/** How-to-fix wording: every message ends with an instruction. */
const FIX = /\. (Pass|Use|Set|Fix|Run|Declare|Only|It must|The file is|Check|Encode)\b[^.]*/;

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  culprit: RegExp | string;
}
const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const at = (path: string, pointer: string) => new RegExp(`${esc(path)}#${esc(pointer)}\\b`);

const FLAGS: Case[] = [
  { name: '--port abc', args: ['--port', 'abc'], culprit: /--port: "abc" is not a port/ },
  { name: '--port 65536', args: ['--port', '65536'], culprit: /--port: "65536"/ },
  { name: '--port 1.5', args: ['--port', '1.5'], culprit: /--port: "1.5"/ },
  { name: '--port ""', args: ['--port', ''], culprit: /--port: ""/ },
  { name: '--port=-1', args: ['--port=-1'], culprit: /--port: "-1"/ },
  { name: '--port -1 (looks like a flag)', args: ['--port', '-1'], culprit: /'--port' argument is ambiguous.*use '--port=-XYZ'/ },
  { name: '--port without a value', args: ['--port'], culprit: /'--port <value>' argument missing/ },
  { name: '--host ""', args: ['--host', ''], culprit: /--host: it is empty/ },
  { name: '--host not-a-host', args: ['--host', 'not a host', '--port', '0'], culprit: /--host "not a host" is not a host name or IP address/ },
  {
    name: '--host 192.0.2.1 (not this machine)',
    args: ['--host', '192.0.2.1', '--port', '0'],
    culprit: /--host 192\.0\.2\.1 is not an address of this machine/,
  },
  { name: '--limit 0', args: ['--limit', '0'], culprit: /--limit: "0" is not a positive whole number/ },
  { name: '--limit abc', args: ['--limit', 'abc'], culprit: /--limit: "abc"/ },
  { name: '--limit 1e3', args: ['--limit', '1e3'], culprit: /--limit: "1e3"/ },
  { name: '--limit 2.5', args: ['--limit', '2.5'], culprit: /--limit: "2.5"/ },
  { name: '--limit past 2^53', args: ['--limit', '99999999999999999999'], culprit: /--limit: "99999999999999999999"/ },
  { name: '--limit=-5', args: ['--limit=-5'], culprit: /--limit: "-5"/ },
  { name: '--window soon', args: ['--window', 'soon'], culprit: /--window: "soon" is not a duration/ },
  { name: '--window 0', args: ['--window', '0'], culprit: /--window: "0"/ },
  { name: '--window ""', args: ['--window', ''], culprit: /--window: ""/ },
  { name: '--window 1 fortnight', args: ['--window', '1 fortnight'], culprit: /--window: "1 fortnight"/ },
  { name: '--window=-1m', args: ['--window=-1m'], culprit: /--window: "-1m"/ },
  { name: '--algorithm leaky-bucket', args: ['--algorithm', 'leaky-bucket'], culprit: /--algorithm: "leaky-bucket" is not an algorithm/ },
  { name: '--algorithm FIXED-WINDOW', args: ['--algorithm', 'FIXED-WINDOW'], culprit: /--algorithm: "FIXED-WINDOW"/ },
  { name: '--max-keys 0', args: ['--max-keys', '0'], culprit: /--max-keys: "0" is not a positive whole number/ },
  { name: '--max-keys lots', args: ['--max-keys', 'lots'], culprit: /--max-keys: "lots"/ },
  { name: '--control-token short', args: ['--control-token', 'short'], culprit: /--control-token: it is shorter than 16 characters/ },
  { name: '--control-token ""', args: ['--control-token', ''], culprit: /--control-token: it is shorter than 16/ },
  { name: '--profile stripe', args: ['--profile', 'stripe'], culprit: /profile "stripe": there is no such profile/ },
  { name: '--profile ""', args: ['--profile', ''], culprit: /profile "": there is no such profile/ },
  { name: '--profile RECONLAYER', args: ['--profile', 'RECONLAYER'], culprit: /profile "RECONLAYER"/ },
  { name: '--profile and --spec', args: ['--profile', 'reconlayer', '--spec', GOOD_SPEC], culprit: /both --profile and --spec/ },
  { name: '--spec missing file', args: ['--spec', join(scratch, 'nope.yaml')], culprit: new RegExp(`spec ${esc(join(scratch, 'nope.yaml'))}: no such file`) },
  { name: '--spec a directory', args: ['--spec', scratch], culprit: new RegExp(`spec ${esc(scratch)}: EISDIR`) },
  { name: '--credentials missing file', args: ['--credentials', join(scratch, 'nope.json')], culprit: /credentials .*nope\.json: no such file/ },
  { name: '--trust-proxy=yes', args: ['--trust-proxy=yes'], culprit: /'--trust-proxy' does not take an argument/ },
  { name: '--control=false', args: ['--control=false'], culprit: /'--control' does not take an argument/ },
  { name: '--emit-headers=no', args: ['--emit-headers=no'], culprit: /'--emit-headers' does not take an argument/ },
  { name: '--validate=1', args: ['--validate=1'], culprit: /'--validate' does not take an argument/ },
  { name: '--quiet=1', args: ['--quiet=1'], culprit: /'--quiet' does not take an argument/ },
  { name: 'an unknown flag', args: ['--limt', '5'], culprit: /Unknown option '--limt'/ },
  { name: 'a stray argument', args: ['authmatech'], culprit: /"authmatech" is not a flag.*--profile authmatech/ },
];

const ENV: Case[] = [
  ...['0', '-1', '1.5', '1e3', 'abc', '99999999999999999999', ' '].map((value) => ({
    name: `RATE_LIMIT_MAX=${JSON.stringify(value)}`,
    args: [],
    env: { RATE_LIMIT_MAX: value },
    culprit: new RegExp(`RATE_LIMIT_MAX: "${esc(value)}" is not a positive whole number`),
  })),
  ...[
    ['0', 'must be positive'],
    ['soon', 'is not a duration'],
    ['-5s', 'must be positive'],
    ['1 minutee', 'is not a duration'],
    [' ', 'is not a duration'],
  ].map(([value = '', problem = '']) => ({
    name: `RATE_LIMIT_WINDOW=${JSON.stringify(value)}`,
    args: [],
    env: { RATE_LIMIT_WINDOW: value },
    culprit: new RegExp(`env var RATE_LIMIT_WINDOW: "${esc(value)}" ${problem}`),
  })),
  { name: 'a spec-declared MY_LIMIT=many', args: ['--spec', GOOD_SPEC], env: { MY_LIMIT: 'many' }, culprit: /MY_LIMIT: "many" is not a positive whole number/ },
  {
    name: 'a spec-declared MY_WINDOW=later',
    args: ['--spec', GOOD_SPEC],
    env: { MY_WINDOW: 'later' },
    culprit: /env var MY_WINDOW: "later" is not a duration/,
  },
];

const POLICY_FIELDS: Array<[string, string, (p: Record<string, unknown>) => void]> = [
  ['limit 0', '/x-rate-limit/limit', (p) => (p.limit = 0)],
  ['limit "300"', '/x-rate-limit/limit', (p) => (p.limit = '300')],
  ['limit 1.5', '/x-rate-limit/limit', (p) => (p.limit = 1.5)],
  ['limit missing', '/x-rate-limit', (p) => delete p.limit],
  ['window 0', '/x-rate-limit/window', (p) => (p.window = 0)],
  ['window "soon"', '/x-rate-limit/window', (p) => (p.window = 'soon')],
  ['window ""', '/x-rate-limit/window', (p) => (p.window = '')],
  ['window true', '/x-rate-limit/window', (p) => (p.window = true)],
  ['window "-1m"', '/x-rate-limit/window', (p) => (p.window = '-1m')],
  ['window missing', '/x-rate-limit', (p) => delete p.window],
  ['algorithm "leaky-bucket"', '/x-rate-limit/algorithm', (p) => (p.algorithm = 'leaky-bucket')],
  ['key missing', '/x-rate-limit', (p) => delete p.key],
  ['key.by "cookie"', '/x-rate-limit/key/by', (p) => (p.key = { by: 'cookie' })],
  ['key.header missing', '/x-rate-limit/key', (p) => (p.key = { by: 'header' })],
  ['key.header "x client"', '/x-rate-limit/key/header', (p) => (p.key = { by: 'header', header: 'x client' })],
  ['key.fallback "none"', '/x-rate-limit/key/fallback', (p) => (p.key = { by: 'ip', fallback: 'none' })],
  ['key.scheme 5', '/x-rate-limit/key/scheme', (p) => (p.key = { by: 'principal', header: 'authorization', scheme: 5 })],
  ['key with an unknown field', '/x-rate-limit/key', (p) => (p.key = { by: 'ip', per: 'org' })],
  ['scope.include []', '/x-rate-limit/scope/include', (p) => (p.scope = { include: [] })],
  ['scope.include "v1/**"', '/x-rate-limit/scope/include/0', (p) => (p.scope = { include: ['v1/**'] })],
  ['scope.exempt "/health"', '/x-rate-limit/scope/exempt', (p) => (p.scope = { exempt: '/health' })],
  ['scope with an unknown field', '/x-rate-limit/scope', (p) => (p.scope = { only: ['/a'] })],
  ['headers.limit "X-RateLimit-Limit"', '/x-rate-limit/headers/limit', (p) => (p.headers = { limit: 'X-RateLimit-Limit' })],
  ['headers.retryAfter "retry after"', '/x-rate-limit/headers/retryAfter', (p) => (p.headers = { retryAfter: 'retry after' })],
  ['headers with an unknown field', '/x-rate-limit/headers', (p) => (p.headers = { ratelimit: 'ratelimit' })],
  ['env.limit "rate_limit_max"', '/x-rate-limit/env/limit', (p) => (p.env = { limit: 'rate_limit_max' })],
  ['env.window 60', '/x-rate-limit/env/window', (p) => (p.env = { window: 60 })],
  ['env with an unknown field', '/x-rate-limit/env', (p) => (p.env = { max: 'MAX' })],
  ['rejection missing', '/x-rate-limit', (p) => delete p.rejection],
  ['rejection.status 200', '/x-rate-limit/rejection/status', (p) => (p.rejection = { status: 200, body: {} })],
  ['rejection.status 700', '/x-rate-limit/rejection/status', (p) => (p.rejection = { status: 700, body: {} })],
  ['rejection.body missing', '/x-rate-limit/rejection', (p) => (p.rejection = { status: 429 })],
  ['rejection.contentType 5', '/x-rate-limit/rejection/contentType', (p) => (p.rejection = { contentType: 5, body: {} })],
  ['notes 5', '/x-rate-limit/notes', (p) => (p.notes = 5)],
  ['an unknown top-level field', '/x-rate-limit', (p) => (p.limits = 5)],
];

const SPEC_FIELDS: Case[] = [
  ...POLICY_FIELDS.map(([name, pointer, patch], i) => {
    const path = specWith(`policy-${i}`, patch);
    return { name: `x-rate-limit: ${name}`, args: ['--spec', path], culprit: at(path, pointer) };
  }),
  ...(() => {
    const cases: Array<[string, string, string | RegExp]> = [
      ['no x-rate-limit', specText(undefined), '/x-rate-limit'],
      ['x-rate-limit is a string', specText('300 per minute'), '/x-rate-limit'],
      ['swagger 2.0', 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n', '/openapi'],
      ['openapi 4.0', 'openapi: 4.0.0\ninfo: {title: t, version: "1"}\npaths: {}\n', '/openapi'],
      ['no paths', 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\n', '/paths'],
      ['a YAML scalar', 'just text\n', /: the document is not an object/],
      ['broken YAML', 'openapi: 3.1.0\npaths: [\n', /: deficient indentation/],
      ['an empty file', '', /: expected a document/],
    ];
    return cases.map(([name, text, culprit], i) => {
      const path = file(`spec-${i}.yaml`, text);
      return {
        name: `spec: ${name}`,
        args: ['--spec', path],
        culprit: typeof culprit === 'string' ? at(path, culprit) : new RegExp(`spec ${esc(path)}${culprit.source}`),
      };
    });
  })(),
  (() => {
    const path = file('broken.json', '{"openapi": "3.1.0", ');
    return { name: 'spec: broken JSON', args: ['--spec', path], culprit: new RegExp(`parse the spec ${esc(path)}`) };
  })(),
];

const CREDENTIALS: Case[] = (
  [
    ['not JSON', '{', ': Expected property name'],
    ['an array', '[]', '#/principals'],
    ['no principals', '{}', '#/principals'],
    ['principals is an object', '{"principals":{}}', '#/principals'],
    ['a null principal', '{"principals":[null]}', '#/principals/0/id'],
    ['an empty id', '{"principals":[{"id":"","credentials":[{"a":"b"}]}]}', '#/principals/0/id'],
    ['a numeric id', '{"principals":[{"id":5,"credentials":[{"a":"b"}]}]}', '#/principals/0/id'],
    ['no credentials', '{"principals":[{"id":"x","credentials":[]}]}', '#/principals/0/credentials'],
    ['a credential that is an array', '{"principals":[{"id":"x","credentials":[["a"]]}]}', '#/principals/0/credentials/0'],
    ['a header value that is a number', '{"principals":[{"id":"x","credentials":[{"authorization":5}]}]}', '#/principals/0/credentials/0/authorization'],
    ['the second principal broken', '{"principals":[{"id":"x","credentials":[{"a":"b"}]},{"id":"y"}]}', '#/principals/1/credentials'],
  ] as const
).map(([name, text, pointer], i) => {
  const path = file(`credentials-${i}.json`, text);
  return { name: `credentials: ${name}`, args: ['--credentials', path], culprit: new RegExp(`${esc(path)}${esc(pointer)}`) };
});

// ---------------------------------------------------------------------------------------------------
// Hardening, round two (issue 10): spec loading (refs, caps, alias bombs), header values, Infinity,
// --ipv6-subnet and --allow-external-refs. Data entries only; each of them failed before (a banner, a
// hang or a 500 instead of one line and exit 2).
// ---------------------------------------------------------------------------------------------------
const ROUND_TWO_POLICY_FIELDS: Array<[string, string, (p: Record<string, unknown>) => void]> = [
  ['rejection.contentType with CR LF', '/x-rate-limit/rejection/contentType', (p) => (p.rejection = { contentType: 'text/plain\r\nx-injected: 1', body: {} })],
  ['rejection.contentType with NUL', '/x-rate-limit/rejection/contentType', (p) => (p.rejection = { contentType: 'text/plain\u0000', body: {} })],
  ['rejection.contentType beyond latin1', '/x-rate-limit/rejection/contentType', (p) => (p.rejection = { contentType: 'text/plain; name=\u2603', body: {} })],
  ['limit past 2^53', '/x-rate-limit/limit', (p) => (p.limit = 2 ** 53 + 2)],
  ['window past 2^53 ms', '/x-rate-limit/window', (p) => (p.window = 2 ** 53 + 2)],
];
const LAUGHS = ['x-unused:', '  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
for (let i = 1; i < 10; i += 1) LAUGHS.push(`  a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
const headerSpec = (responseYaml: string) =>
  `openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n${responseYaml}\nx-rate-limit: ${JSON.stringify(VALID_POLICY)}\n`;
const refSpec = (ref: string) =>
  `openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok, content: {application/json: {example: {$ref: '${ref}'}}}}\nx-rate-limit: ${JSON.stringify(VALID_POLICY)}\n`;
const ROUND_TWO_SPECS: Array<[string, string, string | RegExp, string?]> = [
  ['limit .inf (YAML Infinity)', specText(VALID_POLICY).replace('"limit":10', '"limit":.inf'), '/x-rate-limit/limit'],
  [
    'limit 1e999 (JSON Infinity)',
    JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {}, 'x-rate-limit': { ...VALID_POLICY, limit: 10 } }).replace(
      '"limit":10',
      '"limit":1e999',
    ),
    '/x-rate-limit/limit',
    '.json',
  ],
  ['a YAML alias bomb in an unused x- key', `${specText(VALID_POLICY)}${LAUGHS.join('\n')}\n`, /: its YAML aliases expand it by over 1,000,000 nodes/],
  ['a recursive YAML alias', `${specText(VALID_POLICY)}x-loop: &l [1, *l]\n`, /: a YAML alias refers to a node that contains it/],
  ['JSON nested 2,000 deep', `{"openapi":"3.1.0","x-deep":${'['.repeat(2000)}${']'.repeat(2000)}}`, /: it nests deeper than 1000 levels/, '.json'],
  [
    'a header example with CR LF',
    headerSpec('          description: ok\n          headers:\n            X-Trace: {schema: {type: string}, example: "abc\\r\\nset-cookie: a=1"}'),
    '/paths/~1a/get/responses/200/headers/X-Trace/example',
  ],
  [
    'a header name with a space',
    headerSpec("          description: ok\n          headers:\n            'X Trace': {schema: {type: string}, example: abc}"),
    '/paths/~1a/get/responses/200/headers/X Trace',
  ],
  [
    'a media type with CR LF',
    headerSpec('          description: ok\n          content:\n            "text/plain\\r\\nx: 1": {example: hi}'),
    '/paths/~1a/get/responses/200/content/text~1plain%0D%0Ax: 1',
  ],
  ['a $ref to /etc/passwd', refSpec('/etc/passwd'), /: it reads \/etc\/passwd, outside the spec's directory/],
  ['a $ref to an http URL', refSpec('http://127.0.0.1:9/x.yaml'), /: it is a URL, and specs are read without network access/],
];
const ROUND_TWO: Case[] = [
  ...ROUND_TWO_POLICY_FIELDS.map(([name, pointer, patch], i) => {
    const path = specWith(`round-two-policy-${i}`, patch);
    return { name: `x-rate-limit: ${name}`, args: ['--spec', path], culprit: at(path, pointer) };
  }),
  ...ROUND_TWO_SPECS.map(([name, text, culprit, extension], i) => {
    const path = file(`round-two-spec-${i}${extension ?? '.yaml'}`, text);
    return {
      name: `spec: ${name}`,
      args: ['--spec', path],
      culprit: typeof culprit === 'string' ? new RegExp(`${esc(path)}#${esc(culprit)}`) : new RegExp(`${esc(path)}.*${culprit.source}`),
    };
  }),
  { name: '--spec /dev/zero', args: ['--spec', '/dev/zero'], culprit: /spec \/dev\/zero: it is not a regular file/ },
  { name: '--credentials /dev/zero', args: ['--credentials', '/dev/zero'], culprit: /credentials \/dev\/zero: it is not a regular file/ },
  { name: '--ipv6-subnet 0', args: ['--ipv6-subnet', '0'], culprit: /--ipv6-subnet: "0" is not an IPv6 prefix length/ },
  { name: '--ipv6-subnet 129', args: ['--ipv6-subnet', '129'], culprit: /--ipv6-subnet: "129"/ },
  { name: '--ipv6-subnet /64', args: ['--ipv6-subnet', '/64'], culprit: /--ipv6-subnet: "\/64"/ },
  { name: '--allow-external-refs=yes', args: ['--allow-external-refs=yes'], culprit: /'--allow-external-refs' does not take an argument/ },
];

// Round two, part B (issue 10): control tokens no client can send as typed (HTTP strips spaces and tabs at
// either end of a header value; non-ASCII arrives as other bytes), and the two new timeouts. Each token
// here was accepted before (the mock started, and no caller could ever match it); the flags are new.
const TOKEN_BODY = 'a-long-control-token-0123456789';
const ROUND_TWO_B: Case[] = [
  {
    name: '--control-token with a leading space',
    args: ['--control-token', ` ${TOKEN_BODY}`],
    culprit: /--control-token: it starts or ends with a space or tab/,
  },
  {
    name: '--control-token with a trailing space',
    args: ['--control-token', `${TOKEN_BODY} `],
    culprit: /--control-token: it starts or ends with a space or tab/,
  },
  {
    name: '--control-token with a leading tab',
    args: ['--control-token', `\t${TOKEN_BODY}`],
    culprit: /--control-token: it starts or ends with a space or tab/,
  },
  {
    name: '--control-token with a trailing no-break space',
    args: ['--control-token', `${TOKEN_BODY}\u00a0`],
    culprit: /--control-token: character 32 \(U\+00A0\) is not visible ASCII/,
  },
  { name: '--control-token with an umlaut', args: ['--control-token', `t\u00f6ken-${TOKEN_BODY}`], culprit: /--control-token: character 2 \(U\+00F6\)/ },
  { name: '--control-token with an emoji', args: ['--control-token', `${TOKEN_BODY}\u{1f511}`], culprit: /--control-token: character 32 \(U\+1F511\)/ },
  { name: '--control-token with a CR LF', args: ['--control-token', `${TOKEN_BODY}\r\nx-injected: 1`], culprit: /--control-token: character 32 \(U\+000D\)/ },
  { name: '--control-token of 1,025 characters', args: ['--control-token', 'x'.repeat(1025)], culprit: /--control-token: it is longer than 1024 characters/ },
  { name: '--drain-timeout 0', args: ['--drain-timeout', '0'], culprit: /--drain-timeout: "0" must be positive/ },
  { name: '--drain-timeout 5 (no unit)', args: ['--drain-timeout', '5'], culprit: /--drain-timeout: "5" has no unit/ },
  { name: '--drain-timeout soon', args: ['--drain-timeout', 'soon'], culprit: /--drain-timeout: "soon" is not a duration/ },
  { name: '--drain-timeout=-1s', args: ['--drain-timeout=-1s'], culprit: /--drain-timeout: "-1s" must be positive/ },
  { name: '--drain-timeout 2h', args: ['--drain-timeout', '2h'], culprit: /--drain-timeout: "2h" is longer than 1 hour/ },
  { name: '--headers-timeout 0s', args: ['--headers-timeout', '0s'], culprit: /--headers-timeout: "0s" must be positive/ },
  { name: '--headers-timeout 15 (no unit)', args: ['--headers-timeout', '15'], culprit: /--headers-timeout: "15" has no unit/ },
  { name: '--headers-timeout ""', args: ['--headers-timeout', ''], culprit: /--headers-timeout: ""/ },
  { name: '--headers-timeout 1 week', args: ['--headers-timeout', '7d'], culprit: /--headers-timeout: "7d" is longer than 1 hour/ },
];

/** Issue 12: where budgets live and how many processes serve. An unreachable Redis is one line too. */
const SHARED_STORE: Case[] = [
  {
    name: '--store 127.0.0.1:6379',
    args: ['--store', '127.0.0.1:6379'],
    culprit: /--store: "127\.0\.0\.1:6379" is not a URL \(it needs redis:\/\/ in front\)/,
  },
  { name: '--store http://cache:6379', args: ['--store', 'http://cache:6379'], culprit: /--store: "http:\/\/cache:6379" is not a Redis URL/ },
  { name: '--store redis://cache:6379/42', args: ['--store', 'redis://cache:6379/42'], culprit: /--store: "\/42" .* is not a database number/ },
  { name: 'RATE_LIMIT_STORE=cache:6379', args: [], env: { RATE_LIMIT_STORE: 'cache:6379' }, culprit: /RATE_LIMIT_STORE: "cache:6379" is not a URL/ },
  {
    name: '--store redis://127.0.0.1:1 (nothing listens)',
    args: ['--store', 'redis://127.0.0.1:1'],
    culprit: /budget store redis:\/\/127\.0\.0\.1:1\/0 \(--store\): connection refused \(ECONNREFUSED\)\. Run Redis there/,
  },
  {
    name: 'RATE_LIMIT_STORE=redis://127.0.0.1:1 (nothing listens)',
    args: [],
    env: { RATE_LIMIT_STORE: 'redis://127.0.0.1:1' },
    culprit: /\(RATE_LIMIT_STORE\): connection refused .* or unset RATE_LIMIT_STORE to keep budgets in this process/,
  },
  { name: '--store-fault maybe', args: ['--store', 'redis://127.0.0.1:1', '--store-fault', 'maybe'], culprit: /--store-fault: "maybe" is not a mode/ },
  { name: '--store-fault without --store', args: ['--store-fault', 'open'], culprit: /--store-fault: it applies to a Redis store, and no --store/ },
  { name: '--store-prefix ""', args: ['--store', 'redis://127.0.0.1:1', '--store-prefix', ''], culprit: /--store-prefix: "" is empty or has spaces/ },
  { name: '--workers 0', args: ['--workers', '0'], culprit: /--workers: "0" is not a number of processes/ },
  { name: '--workers many', args: ['--workers', 'many'], culprit: /--workers: "many"/ },
];

function expectOneLine(result: { code: number | null; stdout: string; stderr: string }, c: Case) {
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(result.code, `${c.name}: exit code; stderr ${result.stderr}; stdout ${result.stdout.slice(0, 200)}`).toBe(2);
  expect(lines, `${c.name}: one stderr line`).toHaveLength(1);
  const line = lines[0] ?? '';
  expect(line).toMatch(/^ratelimit-contract: Failed to /);
  expect(line).toMatch(c.culprit);
  expect(line, `${c.name}: says how to fix it`).toMatch(FIX);
  expect(line).not.toMatch(/\bat .*:\d+:\d+|node:internal|TypeError|\[object Object\]/);
  expect(result.stdout, `${c.name}: no banner`).toBe('');
}

describe.concurrent.each([
  ['flags', FLAGS],
  ['env vars', ENV],
  ['spec fields', SPEC_FIELDS],
  ['credentials file', CREDENTIALS],
  ['round two (issue 10)', ROUND_TWO],
  ['round two, part B (issue 10)', ROUND_TWO_B],
  ['shared store (issue 12)', SHARED_STORE],
] as const)('bad configuration: %s', (_group, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s → one line naming it, exit 2', async (_name, c) => {
    expectOneLine(await runCliHere(['mock', ...c.args], c.env), c);
  });
});

/** One case of each kind, spawned: the bin prints the same single line and exits 2. */
const SPAWNED = [
  '--port abc',
  '--store redis://127.0.0.1:1 (nothing listens)',
  'RATE_LIMIT_WINDOW="1 minutee"',
  'x-rate-limit: key.by "cookie"',
  'credentials: the second principal broken',
  '--host not-a-host',
];

describe.concurrent('bad configuration through the built bin', () => {
  it.each(SPAWNED)('%s → one line naming it, exit 2', async (name) => {
    const c = [...FLAGS, ...ENV, ...SPEC_FIELDS, ...CREDENTIALS, ...SHARED_STORE].find((k) => k.name === name);
    if (!c) throw new Error(`no corpus case named ${name}`);
    expectOneLine(await runCli(['mock', ...c.args], c.env), c);
  });
});

describe('bad configuration corpus', () => {
  it('covers every mock flag that takes a value or none, and both env vars', () => {
    const named = new Set(
      [...FLAGS, ...ENV, ...ROUND_TWO, ...ROUND_TWO_B, ...SHARED_STORE].flatMap((c) => [...c.args, ...Object.keys(c.env ?? {})]).map((a) => a.split('=')[0]),
    );
    for (const flag of [
      '--profile',
      '--spec',
      '--credentials',
      '--port',
      '--host',
      '--limit',
      '--window',
      '--algorithm',
      '--trust-proxy',
      '--emit-headers',
      '--validate',
      '--control',
      '--control-token',
      '--max-keys',
      '--quiet',
      '--ipv6-subnet',
      '--allow-external-refs',
      '--drain-timeout',
      '--headers-timeout',
      'RATE_LIMIT_MAX',
      'RATE_LIMIT_WINDOW',
      '--store',
      '--store-prefix',
      '--store-fault',
      '--workers',
      'RATE_LIMIT_STORE',
    ]) {
      expect(named, flag).toContain(flag);
    }
    expect(new Set(POLICY_FIELDS.map(([, pointer]) => pointer.split('/')[2] ?? ''))).toEqual(
      new Set(['limit', 'window', 'algorithm', 'key', 'scope', 'headers', 'env', 'rejection', 'notes', '']),
    );
  });
});
