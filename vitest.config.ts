import { defineConfig } from 'vitest/config';

const testTimeout = 20_000;

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'mocks/examples/**/*.test.ts'],
    testTimeout,
    hookTimeout: testTimeout,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'node' } },
      {
        // The MSW helper's case file once more, with `msw` resolved to msw 3 (the dev dependency msw3 is
        // npm:msw@3). msw 3 needs Node ≥ 22.12: on older Node the file skips itself and says so. Not
        // `extends: true`, which would add the root's include (every test file) to this project's.
        resolve: { alias: [{ find: /^msw(?=\/|$)/, replacement: 'msw3' }] },
        test: {
          name: 'msw3',
          include: ['test/cases/msw.case.test.ts'],
          env: { RLC_MSW_MAJOR: '3' },
          testTimeout,
          hookTimeout: testTimeout,
          pool: 'forks',
        },
      },
    ],
  },
});
