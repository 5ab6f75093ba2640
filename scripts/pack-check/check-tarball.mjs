// Checks an unpacked tarball (its package/ folder) as a stranger's tools would meet it: a LICENSE, no
// install scripts, repository links, every exports target and source map present, maps that carry their
// sources, and README/docs links that point at shipped files.
import { ok } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const dir = process.argv[2];
const files = (root) =>
  readdirSync(root, { recursive: true })
    .map((f) => join(root, f))
    .filter((f) => statSync(f).isFile());
const all = files(dir);
const read = (file) => readFileSync(join(dir, file), 'utf8');

const license = read('LICENSE');
ok(
  license.startsWith('MIT License') && license.includes('Copyright (c) 2026 ratelimit-contract contributors'),
  'LICENSE is MIT, 2026, ratelimit-contract contributors',
);

const manifest = JSON.parse(read('package.json'));
for (const script of ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish'])
  ok(!manifest.scripts?.[script], `no ${script} script in the published manifest`);
ok(manifest.repository?.url && manifest.homepage && manifest.bugs?.url, 'repository, homepage and bugs are set');
// Conditions nest (./client's require condition has its own types): every string leaf is a target.
const leaves = (t) => (typeof t === 'string' ? [t] : Object.values(t).flatMap(leaves));
const targets = Object.values(manifest.exports).flatMap(leaves);
for (const target of targets) ok(existsSync(join(dir, target)), `exports target ${target} is shipped`);
ok(existsSync(join(dir, manifest.bin['ratelimit-contract'])), 'the bin is shipped');

const maps = all.filter((f) => f.endsWith('.js.map'));
for (const file of maps) {
  const map = JSON.parse(readFileSync(file, 'utf8'));
  ok(
    map.sourcesContent?.length === map.sources.length && map.sourcesContent.every((s) => typeof s === 'string' && s.length > 0),
    `${relative(dir, file)} carries sourcesContent`,
  );
}
for (const file of all.filter((f) => f.endsWith('.js'))) {
  const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(file, 'utf8'))?.[1];
  ok(!url || existsSync(join(dirname(file), url)), `${relative(dir, file)} points to a shipped map`);
}

const docs = ['README.md', ...all.map((f) => relative(dir, f)).filter((f) => f.startsWith('docs/') && f.endsWith('.md'))];
let links = 0;
for (const doc of docs) {
  for (const [, target] of read(doc).matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^(https?:|mailto:|#)/.test(target)) continue;
    const path = target.split('#')[0];
    ok(existsSync(join(dir, dirname(doc), path)), `${doc} links to ${target}, which is shipped`);
    links += 1;
  }
}
const bytes = all.reduce((sum, f) => sum + statSync(f).size, 0);
console.log(
  `${all.length} files, ${(bytes / 1024).toFixed(0)} KiB unpacked; LICENSE; no install scripts; ${targets.length} exports targets; ${maps.length} maps with sourcesContent; ${links} relative links in ${docs.length} docs resolve`,
);
