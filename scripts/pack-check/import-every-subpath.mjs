// Run from a project that installed the tarball: every subpath of the package's `exports` loads with
// `import` and with `require()` (Node >= 20.19 loads ES modules from require), and both see the same thing.
// Data subpaths: JSON imports with { type: 'json' }; YAML specs resolve to a readable file.
import { deepStrictEqual, ok, strictEqual } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(`${process.cwd()}/package.json`);
const manifest = require('ratelimit-contract/package.json');
const lines = [];
for (const subpath of Object.keys(manifest.exports)) {
  const specifier = subpath === '.' ? 'ratelimit-contract' : `ratelimit-contract/${subpath.slice(2)}`;
  if (specifier.endsWith('.yaml')) {
    const viaImport = fileURLToPath(import.meta.resolve(specifier, `file://${process.cwd()}/`));
    strictEqual(require.resolve(specifier), viaImport);
    ok(/^openapi: 3\./m.test(readFileSync(viaImport, 'utf8')), `${specifier} is an OpenAPI 3 document`);
    lines.push(`${specifier}: resolves (import.meta.resolve and require.resolve)`);
  } else if (specifier.endsWith('.json')) {
    const viaImport = (await import(specifier, { with: { type: 'json' } })).default;
    deepStrictEqual(require(specifier), viaImport);
    lines.push(`${specifier}: import with { type: 'json' } and require`);
  } else {
    const viaImport = await import(specifier);
    const viaRequire = require(specifier);
    const names = Object.keys(viaImport).filter((name) => name !== 'default' && name !== 'module.exports');
    ok(names.length > 0, `${specifier} exports something`);
    deepStrictEqual(
      Object.keys(viaRequire).filter((name) => name !== 'default' && name !== 'module.exports'),
      names,
    );
    for (const name of names) strictEqual(viaRequire[name], viaImport[name], `${specifier} ${name} is the same binding`);
    lines.push(`${specifier}: import and require (${names.length} exports)`);
  }
}
console.log(lines.join('\n'));
