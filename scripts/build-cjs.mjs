// node scripts/build-cjs.mjs: CommonJS copies of the subpaths a CommonJS test runner needs
// (ratelimit-contract/client, /nock, /msw, /mock) in dist/cjs/, for package.json's `require` condition.
// Why: Jest's default (CommonJS) setup loads modules with its own loader, not Node's require, and that
// loader runs ES modules only on Node >= 24.9 with --experimental-vm-modules ("Must use import to load ES
// Module" otherwise). Node itself never gets these files: `module-sync` comes first in each subpath, so
// Node's require() (>= 20.19) and import share the ES module, one copy; Jest offers `module-sync` only
// where it can load ES modules. The four entries share chunks (one engine, one attempt log), every
// dependency stays a `require` of the user's own copy (nock, msw, js-yaml, Prism), and the files sit
// flat in dist/cjs, as deep as dist/<folder>/, so paths built from the module's location still resolve.
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CJS_ENTRIES = ['client', 'nock', 'msw', 'mock'];
const out = join(root, 'dist', 'cjs');

rmSync(out, { recursive: true, force: true });
const bundle = await rolldown({
  input: Object.fromEntries(CJS_ENTRIES.map((name) => [name, join(root, 'src', name, 'index.ts')])),
  platform: 'node',
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(id),
  logLevel: 'warn',
});
const { output } = await bundle.write({
  dir: out,
  format: 'cjs',
  dynamicImportInCjs: false,
  entryFileNames: '[name].cjs',
  chunkFileNames: '[name]-[hash].cjs',
  sourcemap: true,
});
await bundle.close();
// A dynamic import() would need Jest's ESM support again: the lazily loaded Redis store and ioredis become
// require() calls in a promise (dynamicImportInCjs: false), and no import( may be left in the code.
for (const chunk of output) {
  if (chunk.type === 'chunk' && /\bimport\(/.test(chunk.code)) {
    throw new Error(`Failed to build dist/cjs: ${chunk.fileName} keeps a dynamic import(), which Jest's CommonJS loader cannot run.`);
  }
}
// Types for the require condition: CommonJS declaration files that re-export the ES build's (TypeScript
// reads a .d.cts as CommonJS, so a CommonJS consumer's types match the file it gets).
for (const name of CJS_ENTRIES) writeFileSync(join(out, `${name}.d.cts`), `export * from '../${name}/index.js';\n`);
console.log(`dist/cjs: ${output.filter((o) => o.type === 'chunk').length} files for ${CJS_ENTRIES.map((e) => `./${e}`).join(', ')}`);
