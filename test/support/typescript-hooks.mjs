// Module hooks that let a plain `node` child process run this repository's TypeScript test files
// (Node 20 cannot strip types): `.js` imports between .ts files resolve to the .ts file, and .ts files are
// transpiled with the repository's own TypeScript (no type check). Output is cached on disk by content
// hash (node_modules/.cache), so only the first process ever loads TypeScript. Registered by
// register-typescript.mjs.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', '.cache', 'ratelimit-contract-typescript');

async function transpile(fileName) {
  const source = await readFile(fileName, 'utf8');
  const cached = join(CACHE, `${createHash('sha1').update(fileName).update('\0').update(source).digest('hex')}.mjs`);
  try {
    return await readFile(cached, 'utf8');
  } catch {
    // Not cached yet.
  }
  const { default: ts } = await import('typescript');
  const { outputText } = ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, experimentalDecorators: true },
  });
  await mkdir(CACHE, { recursive: true });
  const partial = `${cached}.${process.pid}.tmp`;
  await writeFile(partial, outputText);
  await rename(partial, cached);
  return outputText;
}

export async function resolve(specifier, context, next) {
  if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const url = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  return { format: 'module', source: await transpile(fileURLToPath(url)), shortCircuit: true };
}
