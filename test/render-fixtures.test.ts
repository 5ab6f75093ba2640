import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../src/openapi/load-spec.js';
import { PROFILE_NAMES, profileFiles } from '../src/openapi/profiles.js';
import { loadCatalog } from '../src/render/load-catalog.js';
import { hashSpec, renderWithPrism } from '../src/render/render-with-prism.js';

describe.each(PROFILE_NAMES)('%s response fixture', (name) => {
  const files = profileFiles(name);
  const spec = loadSpec(files.spec);

  it('is what Prism renders from the current spec (run `npm run render-fixtures` after editing the spec)', async () => {
    const committed = JSON.parse(readFileSync(files.responses, 'utf8'));
    expect(committed.specSha256).toBe(hashSpec(spec.text));
    expect(await renderWithPrism(files.spec, spec.text)).toEqual(committed);
  });

  it('is what the mock loads, without starting Prism', async () => {
    const { from, catalog } = await loadCatalog(files.spec, spec.text, files.responses);
    expect(from).toBe('fixture');
    expect(catalog.operations.length).toBeGreaterThan(5);
    expect(catalog.operations.every((op) => Object.keys(op.responses).length > 0)).toBe(true);
  });
});
