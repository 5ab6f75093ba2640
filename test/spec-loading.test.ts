import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMockServer } from '../src/mock/index.js';
import { lintSpec } from '../src/openapi/lint-spec.js';
import { loadSpec } from '../src/openapi/load-spec.js';
import { resolveSpecRefs } from '../src/openapi/spec-refs.js';
import { renderWithPrism } from '../src/render/render-with-prism.js';
import { rawRequest } from './support/raw-request.js';
import { runCli } from './support/run-cli.js';

// Hardening, round two (issue 10, items 1 and 3, and start-up time): a spec reads no network and no
// file outside its own directory tree, every read is capped, refusals are one line and exit 2, and the
// render cache is per user and keyed by everything the spec references. Every `it` failed before.
const scratch = mkdtempSync(join(tmpdir(), 'rlc-spec-loading-'));
const specDir = join(scratch, 'api');
const cacheHome = join(scratch, 'cache');
mkdirSync(join(specDir, 'parts'), { recursive: true });
const SECRET = 'rlc-secret-outside-the-tree';
writeFileSync(join(scratch, 'secret.yaml'), `secret: ${SECRET}\n`);
writeFileSync(join(specDir, 'parts', 'greeting.json'), '{"hello":"from a file in the tree"}');
symlinkSync(join(scratch, 'secret.yaml'), join(specDir, 'parts', 'link.yaml'));
execFileSync('mkfifo', [join(specDir, 'parts', 'fifo.yaml')]);
// A sparse file: 17 MiB by its size, no disk used.
writeFileSync(join(specDir, 'parts', 'huge.yaml'), '');
truncateSync(join(specDir, 'parts', 'huge.yaml'), 17 * 1024 * 1024);
// The cache goes to this user's XDG cache; point it at the scratch directory for the tests.
vi.stubEnv('XDG_CACHE_HOME', cacheHome);

const POLICY = 'x-rate-limit: {limit: 100, window: 1m, key: {by: ip}, rejection: {body: {error: slow down}}}';
const POINTER = '/paths/~1a/get/responses/200/content/application~1json/example';
/** A spec whose only response example is `$ref: <ref>`. */
function specWithRef(name: string, ref: string): string {
  const file = join(specDir, `${name}.yaml`);
  writeFileSync(
    file,
    `openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              example: {$ref: ${JSON.stringify(ref)}}\n${POLICY}\n`,
  );
  return file;
}

let network: Server;
let hits: string[] = [];
let origin = '';
beforeAll(async () => {
  network = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/stall.yaml') return; // never answers
    if (req.url === '/endless.yaml') {
      res.writeHead(200, { 'content-type': 'application/yaml' });
      const chunk = Buffer.alloc(1 << 20, 'a');
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      res.on('error', () => undefined);
      pump();
      return;
    }
    if (req.url === '/local.yaml') {
      res.writeHead(200, { 'content-type': 'application/yaml' });
      res.end(`doc: {$ref: "file://${join(scratch, 'secret.yaml')}"}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/yaml' });
    res.end('from: the network\n');
  });
  await new Promise<void>((resolve) => network.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(network.address() as AddressInfo).port}`;
});
afterAll(async () => {
  network.closeAllConnections();
  await new Promise((resolve) => network.close(resolve));
  vi.unstubAllEnvs();
});

const REFUSED: Array<[string, () => string, RegExp]> = [
  ['an absolute path (/etc/passwd)', () => '/etc/passwd', /outside the spec's directory/],
  ['a file: URL', () => 'file:///etc/passwd', /outside the spec's directory/],
  ['a ../ path out of the tree', () => '../secret.yaml', /outside the spec's directory/],
  ['the process environment', () => '/proc/self/environ', /outside the spec's directory/],
  ['/dev/zero', () => '/dev/zero', /outside the spec's directory/],
  ['/dev/urandom', () => '/dev/urandom', /outside the spec's directory/],
  ['a symlink in the tree to a file outside it', () => 'parts/link.yaml', /outside the spec's directory/],
  ['a FIFO in the tree (would block)', () => 'parts/fifo.yaml', /not a regular file/],
  ['a 17 MiB file in the tree', () => 'parts/huge.yaml', /over 16 MiB/],
  ['an http URL', () => `${origin}/doc.yaml`, /specs are read without network access/],
  ['an unsupported scheme', () => 'ftp://127.0.0.1/doc.yaml', /scheme "ftp:" is not supported/],
];

/** `mock` for every ref; `lint` and `render` (slower to start) for a file outside the tree and a URL. */
const CLI_CASES = REFUSED.flatMap(([name, ref, reason], i) =>
  (i === 0 || i === 9 ? (['mock', 'lint', 'render'] as const) : (['mock'] as const)).map((command) => [command, name, ref, reason] as const),
);

describe.concurrent('spec $refs: no network, nothing outside the spec directory, capped reads', () => {
  it.each(CLI_CASES)('%s refuses %s in one line, exit 2', async (command, name, ref, reason) => {
    const file = specWithRef(`${command}-${name.replace(/\W+/g, '-')}`, ref());
    const args =
      command === 'mock' ? ['mock', '--spec', file, '--port', '0'] : command === 'lint' ? ['lint', file] : ['render', file, '--output', `${file}.json`];
    const before = hits.length;
    const result = await runCli(args, { XDG_CACHE_HOME: cacheHome });
    const lines = result.stderr.split('\n').filter(Boolean);
    expect(result.code, `${result.stderr}${result.stdout.slice(0, 300)}`).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`Failed to resolve the \\$ref ".*" at .*#${POINTER.replace(/[~/]/g, '\\$&')}: `));
    expect(lines[0]).toMatch(reason);
    expect(lines[0]).toMatch(/\. (Pass|Use|Fix) /);
    expect(result.stdout).toBe('');
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
    expect(hits.length - before, 'requests to the network').toBe(0);
  });
});

describe('spec $refs: the programmatic APIs keep the same rules', () => {
  it.each(REFUSED)('lintSpec and the renderer refuse %s', async (name, ref, reason) => {
    const file = specWithRef(`api-${name.replace(/\W+/g, '-')}`, ref());
    await expect(lintSpec(file)).rejects.toThrow(reason);
    await expect(resolveSpecRefs(loadSpec(file)).then(renderWithPrism)).rejects.toThrow(reason);
    expect(hits).toEqual([]);
  });

  it('startMockServer and lintSpec refuse a file outside the tree and a URL', async () => {
    await expect(startMockServer({ spec: specWithRef('api-outside', '../secret.yaml'), port: 0 })).rejects.toThrow(/outside the spec's directory/);
    await expect(lintSpec(specWithRef('api-url', `${origin}/doc.yaml`))).rejects.toThrow(/without network access/);
    expect(hits).not.toContain('/doc.yaml');
  });

  it('with allowExternalRefs (--allow-external-refs) a file outside the tree and a URL are read, once; devices never', async () => {
    const outside = await startMockServer({ spec: specWithRef('allow-outside', '../secret.yaml'), port: 0, allowExternalRefs: true });
    try {
      expect((await rawRequest(outside.url, { path: '/a' })).json).toEqual({ secret: SECRET });
    } finally {
      await outside.close();
    }
    hits = [];
    expect(await lintSpec(specWithRef('allow-url', `${origin}/doc.yaml#/from`), { allowExternalRefs: true })).toBeInstanceOf(Array);
    expect(hits).toEqual(['/doc.yaml']);
    await expect(startMockServer({ spec: specWithRef('allow-zero', '/dev/zero'), port: 0, allowExternalRefs: true })).rejects.toThrow(/not a regular file/);
    const result = await runCli(['lint', specWithRef('allow-cli', '../secret.yaml'), '--allow-external-refs']);
    expect(result.stderr).toBe('');
  });

  it('a document fetched from a URL may not reference a local file, even with allowExternalRefs', async () => {
    await expect(startMockServer({ spec: specWithRef('remote-to-local', `${origin}/local.yaml`), port: 0, allowExternalRefs: true })).rejects.toThrow(
      /a document read from a URL may reference other URLs only/,
    );
  });

  it('caps what a URL may send and how long resolving may take', async () => {
    const endless = loadSpec(specWithRef('endless', `${origin}/endless.yaml`), { allowExternalRefs: true });
    await expect(resolveSpecRefs(endless)).rejects.toThrow(/over 16 MiB/);
    const stalled = loadSpec(specWithRef('stalled', `${origin}/stall.yaml`), { allowExternalRefs: true });
    await expect(resolveSpecRefs(stalled, { timeoutMs: 300 })).rejects.toThrow(/took over 0.3 s/);
  });
});

describe('the render cache: per user, private, keyed by everything the spec references', () => {
  it('serves a referenced file of the tree, and a changed referenced file is rendered again, never served stale', async () => {
    const file = specWithRef('cached', 'parts/greeting.json');
    const serve = async () => {
      const mock = await startMockServer({ spec: file, port: 0 });
      try {
        return (await rawRequest(mock.url, { path: '/a' })).json;
      } finally {
        await mock.close();
      }
    };
    expect(await serve()).toEqual({ hello: 'from a file in the tree' });
    writeFileSync(join(specDir, 'parts', 'greeting.json'), '{"hello":"edited"}');
    expect(await serve()).toEqual({ hello: 'edited' });
  });

  it('lives in $XDG_CACHE_HOME/ratelimit-contract with mode 0700 and files 0600, and makes a shared directory private', async () => {
    const dir = join(cacheHome, 'ratelimit-contract');
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    const mock = await startMockServer({ spec: specWithRef('cache-mode', 'parts/greeting.json'), port: 0 });
    await mock.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
  });
});

describe('alias bombs and deep documents are refused in one line, exit 2, by every command', () => {
  const laughs = ['x-unused:', '  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i += 1) laughs.push(`  a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  const bomb = join(specDir, 'bomb.yaml');
  writeFileSync(bomb, `openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\n${POLICY}\n${laughs.join('\n')}\n`);
  const referenced = join(specDir, 'parts', 'bomb.yaml');
  writeFileSync(referenced, `${laughs.join('\n')}\n`);

  it.each([
    ['mock', ['mock', '--spec', bomb, '--port', '0']],
    ['lint', ['lint', bomb]],
    ['render', ['render', bomb, '--output', `${bomb}.json`]],
    ['verify', ['verify', '--spec', bomb, '--target', 'http://127.0.0.1:9']],
  ])('%s', async (_command, args) => {
    const result = await runCli(args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stderr).toMatch(/Failed to parse the spec .*bomb\.yaml: its YAML aliases expand it by over 1,000,000 nodes .*\. Fix it: /);
  });

  it('in a referenced document too', async () => {
    const result = await runCli(['mock', '--spec', specWithRef('bomb-ref', 'parts/bomb.yaml'), '--port', '0']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/Failed to resolve the \$ref "parts\/bomb\.yaml" .*: the document it names cannot be parsed: its YAML aliases expand it/);
  });
});

describe('start-up: rendering is linear in the number of operations', () => {
  it("asks Prism's router about one operation per rendered response (it scored every operation on each)", async () => {
    const paths = Array.from(
      { length: 120 },
      (_, i) =>
        `  /r${i}/{id}:\n    get:\n      responses:\n        '200': {description: ok, content: {application/json: {example: {n: ${i}}}}}\n        '404': {description: no}`,
    );
    const file = join(specDir, 'many.yaml');
    writeFileSync(file, `openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n${paths.join('\n')}\n${POLICY}\n`);
    const { createRequire } = await import('node:module');
    const matchPath = createRequire(import.meta.url)('@stoplight/prism-http/dist/router/matchPath.js') as { matchPath: (...args: unknown[]) => unknown };
    const original = matchPath.matchPath;
    let calls = 0;
    matchPath.matchPath = (...args: unknown[]) => {
      calls += 1;
      return original(...args);
    };
    try {
      const catalog = await renderWithPrism(await resolveSpecRefs(loadSpec(file)));
      expect(catalog.operations).toHaveLength(120);
      expect(catalog.operations[7]?.responses['200']?.body).toBe('{"n":7}');
    } finally {
      matchPath.matchPath = original;
    }
    // 240 rendered responses: one match each. Routing among all operations took 240 × 120.
    expect(calls).toBeLessThanOrEqual(240);
  });
});

afterAll(() => {
  // The generated spec files stay in the OS temp directory; nothing else to stop here.
  expect(readFileSync(join(scratch, 'secret.yaml'), 'utf8')).toContain(SECRET);
});
