// Run with `node --enable-source-maps` from a project that installed the tarball: a RateLimitContractError
// thrown inside the package has a stack frame that names its TypeScript source, and the shipped source map
// holds that source's text (sourcesContent), so the line the frame names is there to read.
import { ok } from 'node:assert';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { startMockServer } from 'ratelimit-contract/mock';

const error = await startMockServer({ profile: 'no-such-profile' }).then(
  () => undefined,
  (thrown) => thrown,
);
ok(error?.code === 'ERR_RLC_PROFILE', `expected ERR_RLC_PROFILE, got ${error}`);
const frame = error.stack.split('\n').find((line) => line.includes('/node_modules/ratelimit-contract/'));
const match = /(\/\S*\/node_modules\/ratelimit-contract\/)(src\/\S+)\.ts:(\d+):(\d+)/.exec(frame ?? '');
ok(match, `the first frame in the package names a .ts source: ${frame}`);
const [, root, source, line] = match;
const jsFile = `${root}${source.replace(/^src\//, 'dist/')}.js`;
const map = JSON.parse(readFileSync(`${jsFile}.map`, 'utf8'));
const index = map.sources.findIndex((s) => resolve(dirname(jsFile), s) === `${root}${source}.ts`);
ok(index >= 0, `${jsFile}.map lists ${source}.ts`);
const text = map.sourcesContent?.[index]?.split('\n')[Number(line) - 1] ?? '';
ok(/RateLimitContractError/.test(text), `line ${line} of ${source}.ts in sourcesContent throws the error: ${JSON.stringify(text)}`);
console.log(`stack frame ${source}.ts:${line} → sourcesContent: ${text.trim()}`);
