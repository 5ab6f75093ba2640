import { defineConfig } from 'vitest/config';

const include = ['src/**/*.test.ts', 'test/**/*.test.ts', 'mocks/examples/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'node', include } },
      {
        // The MSW helper's case file once more, with `msw` resolved to msw 3 (the dev dependency msw3 is
        // npm:msw@3). msw 3 needs Node ≥ 22.12: on older Node the file skips itself and says so.
        extends: true,
        resolve: { alias: [{ find: /^msw(?=\/|$)/, replacement: 'msw3' }] },
        test: { name: 'msw3', include: ['test/cases/msw.case.test.ts'], env: { RLC_MSW_MAJOR: '3' } },
      },
    ],
  },
});
