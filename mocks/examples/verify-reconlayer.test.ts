// Verify your API's rate limiting in CI: copy this file into your tests and point API_URL at your server,
// started with a short window so that the suite is quick:
//   RATE_LIMIT_MAX=5 RATE_LIMIT_WINDOW=2s node server.js &
//   API_URL=http://127.0.0.1:3001 npx vitest run verify-reconlayer.test.ts
// Without API_URL it verifies this package's own mock (with its control API on, the suite moves the mock's
// virtual clock instead of waiting), which is how the package runs this very file in its tests.
import { startMockServer } from 'ratelimit-contract/mock';
import { describeRateLimitConformance } from 'ratelimit-contract/vitest';
import { afterAll } from 'vitest';

const mock = process.env.API_URL ? undefined : await startMockServer({ profile: 'reconlayer', limit: 5, window: '2s', control: true, env: {} });
afterAll(() => mock?.close());

describeRateLimitConformance({
  profile: 'reconlayer',
  // A base URL; an Express app or an http.Server also works (in process, through supertest).
  target: process.env.API_URL ?? (mock?.url as string),
  // What the server runs with (its RATE_LIMIT_MAX and RATE_LIMIT_WINDOW).
  limit: 5,
  window: '2s',
  // Your test keys; by default the fixtures the mock uses (mocks/reconlayer.credentials.json).
  // credentials: 'test/fixtures/reconlayer.credentials.json',
  skip: {
    // Each skip states its reason, e.g.:
    // 'reconlayer/unresolved-keyed-by-ip': 'our gateway rejects unauthenticated requests before the limiter',
  },
});
