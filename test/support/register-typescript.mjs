// `node --import ./test/support/register-typescript.mjs file.ts` runs a TypeScript test file as a child process.
import { register } from 'node:module';

register('./typescript-hooks.mjs', import.meta.url);
