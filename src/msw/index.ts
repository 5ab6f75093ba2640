// The node entry of `ratelimit-contract/msw`: the browser entry, plus loading an API from files.
import type { ApiDefinition } from '../engine/api-definition.js';
import { parseBaseUrl } from '../engine/base-url.js';
import { type InterceptedApiOptions, requireApiChoice } from '../engine/engine-options.js';
import { loadApiDefinition as loadDefinition } from '../engine/load-api-definition.js';
import { loadEngine } from '../engine/load-engine.js';
import { handlersFor, type MswRateLimitedApi } from './rate-limited-handlers.js';

export {
  type ApiDefinition,
  type CreateRateLimitedApiOptions,
  createRateLimitedApi,
  delayed,
  type FakeTimerControls,
  type MswPlacement,
  type MswRateLimitedApi,
  type NodeTestMockTimers,
  type NodeTestTimerControls,
  nodeTestTimers,
  passThrough,
  type RecordedAttempt,
  rateLimited,
  replyWith,
  type ScriptMatch,
  type ScriptStep,
  type SettleOptions,
  type SinonClockControls,
  serverError,
  sinonTimers,
} from './browser.js';

/** Options of `mockRateLimitedApi`: the API (profile or spec, with the mock's overrides) and where it lives. */
export interface MockRateLimitedApiOptions extends InterceptedApiOptions {
  /** The origin (and optional base path) clients call, e.g. `https://api.reconlayer.test`. */
  baseUrl: string;
}

/**
 * MSW request handlers for a profile or your own spec, with the nock helper's members: per-key budgets on
 * the `Date.now()` clock (fake timers move it), the profile's 429s, exempt paths left alone, scripts, an
 * attempt log and `settle`. Give `api.handlers` to `setupServer`.
 * @example const api = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: 'https://api.reconlayer.test' }); const server = setupServer(...api.handlers);
 */
export async function mockRateLimitedApi(options: MockRateLimitedApiOptions): Promise<MswRateLimitedApi> {
  parseBaseUrl(options.baseUrl, 'msw');
  requireApiChoice(options);
  const { engine } = await loadEngine({ ...options, env: options.env ?? {} });
  return handlersFor(engine, options);
}

/** Resolves a profile or spec into the JSON a browser's `createRateLimitedApi` takes (node; reads files). */
export async function loadApiDefinition(options: Omit<InterceptedApiOptions, 'clock' | 'clientIp'>): Promise<ApiDefinition> {
  requireApiChoice(options);
  return (await loadDefinition({ ...options, env: options.env ?? {} })).definition;
}
