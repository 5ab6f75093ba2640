import { defineConfig } from 'vitest/config';

const include = ['src/**/*.test.ts', 'test/**/*.test.ts', 'mocks/examples/**/*.test.ts'];
/**
 * Files that still bound real time (a run "in under 2 s"): they run last, one at a time, so that the rest
 * of this suite never loads the machine under them. (The rule is that no test asserts wall-clock time;
 * these bounds belong to other suites and are to become report lines.)
 */
const wallClock = [
  'test/conformance-mock.test.ts',
  'test/conformance-real.test.ts',
  'test/real-clients.test.ts',
  'test/graceful-shutdown.test.ts',
  // Two mocks parse 2,000,000 one-byte chunks under the request timeout; alone, that stays far from it.
  'test/chunked-body-memory.test.ts',
  // Python clients sleep for real; their waits are judged with a 250 ms slack that a loaded machine could eat.
  'test/python-clients.test.ts',
];
// Most test files wait (sockets, spawned CLIs, real-time windows) more than they compute, so three forks
// on two cores finish sooner than one.
const shared = { testTimeout: 20_000, hookTimeout: 20_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    include,
    ...shared,
    maxWorkers: 3,
    // Projects other than the first do not `extends: true`: that would add the root's include (every
    // test file) to their own.
    projects: [
      { extends: true, test: { name: 'node', exclude: wallClock } },
      {
        // The MSW helper's case file (and the reference clients behind msw) once more, with `msw` resolved to msw 3 (the dev dependency msw3 is
        // npm:msw@3). msw 3 needs Node ≥ 22.12: on older Node the file skips itself and says so.
        resolve: { alias: [{ find: /^msw(?=\/|$)/, replacement: 'msw3' }] },
        test: { name: 'msw3', include: ['test/cases/msw.case.test.ts', 'test/msw-body-drain.test.ts'], env: { RLC_MSW_MAJOR: '3' }, ...shared },
      },
      { test: { name: 'wall-clock', include: wallClock, ...shared, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
