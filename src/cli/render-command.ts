import { writeFileSync } from 'node:fs';
import { loadSpec } from '../openapi/load-spec.js';
import { PROFILE_NAMES, profileFiles } from '../openapi/profiles.js';
import { resolveSpecRefs } from '../openapi/spec-refs.js';
import { renderWithPrism } from '../render/render-with-prism.js';
import { usageError } from './cli-error.js';
import { parseFlags } from './parse-flags.js';

export const RENDER_HELP = `Usage: ratelimit-contract render (--all | <spec> --output <file>) [--allow-external-refs]

Renders every declared response of every operation through Prism's engine, once, into a catalog the
mock serves from. --all rewrites the shipped fixtures mocks/<profile>.responses.json (for contributors).
The spec's $refs may read files in its own directory tree only; --allow-external-refs also lets them
read other files and fetch http(s) URLs.

You rarely need it: \`mock --spec <file>\` renders a spec of your own at its first start and caches the
catalog in $XDG_CACHE_HOME/ratelimit-contract (default ~/.cache/ratelimit-contract, mode 0700), keyed by
the spec and every file it references; a changed spec is rendered again. Use render to see what the mock
will answer.`;

/** `ratelimit-contract render`: Prism → response catalog JSON. */
export async function runRenderCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseFlags('render', args, {
    all: { type: 'boolean' },
    output: { type: 'string' },
    'allow-external-refs': { type: 'boolean' },
  });
  if (values.help) {
    out(`${RENDER_HELP}\n`);
    return 0;
  }
  const jobs = values.all
    ? PROFILE_NAMES.map((name) => ({ spec: profileFiles(name).spec, output: profileFiles(name).responses }))
    : positionals[0] && values.output
      ? [{ spec: positionals[0], output: values.output }]
      : undefined;
  if (!jobs) throw usageError('Failed to render: pass --all, or a spec file and --output <file>.');
  for (const job of jobs) {
    const spec = loadSpec(job.spec, { allowExternalRefs: values['allow-external-refs'] });
    const catalog = await renderWithPrism(await resolveSpecRefs(spec));
    writeFileSync(job.output, `${JSON.stringify(catalog, null, 2)}\n`);
    out(`rendered ${catalog.operations.length} operations of ${job.spec} → ${job.output}\n`);
  }
  return 0;
}
