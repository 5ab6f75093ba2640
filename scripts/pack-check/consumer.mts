// A consumer of the installed package, typechecked by the pack check under `nodenext` and `bundler`.
// It touches every subpath's types the way a user's test file would.
import { createRequire } from 'node:module';
import * as everything from 'ratelimit-contract';
import { assertRetryLog, createRetryAfterFetch, withBackoff } from 'ratelimit-contract/client';
import { type ConformanceReport, runConformance } from 'ratelimit-contract/conformance';
import * as core from 'ratelimit-contract/core';
import reconlayerCredentials from 'ratelimit-contract/mocks/reconlayer.credentials.json' with { type: 'json' };
import { type MockServerOptions, startMockServer } from 'ratelimit-contract/mock';
import { mockRateLimitedApi, rateLimited } from 'ratelimit-contract/nock';
import policySchema from 'ratelimit-contract/openapi/x-rate-limit.schema.json' with { type: 'json' };
import documentSchema from 'ratelimit-contract/openapi/openapi-with-x-rate-limit.schema.json' with { type: 'json' };
import manifest from 'ratelimit-contract/package.json' with { type: 'json' };
import { describeRateLimitConformance } from 'ratelimit-contract/vitest';

// MockServerOptions.profile is the union of the embedded profiles, so a typo fails here, not at run time.
const options: MockServerOptions = { profile: 'reconlayer', port: 0, limit: 5, window: '2s', control: true };
// @ts-expect-error: "stripe" is not an embedded profile
const typo: MockServerOptions = { profile: 'stripe' };

export async function smoke(): Promise<number> {
  const mock = await startMockServer(options);
  const report: ConformanceReport = await runConformance({ profile: 'reconlayer', target: mock.url, limit: 5, window: '2s' });
  await mock.close();
  const specFile: string = createRequire(import.meta.url).resolve('ratelimit-contract/openapi/reconlayer.yaml');
  const title: string = policySchema.title + documentSchema.title + manifest.version + specFile;
  return report.summary.failed + title.length;
}

export const used = [
  everything,
  core,
  typo,
  assertRetryLog,
  createRetryAfterFetch,
  withBackoff,
  mockRateLimitedApi,
  rateLimited,
  describeRateLimitConformance,
  reconlayerCredentials,
];
