// The browser entry of `ratelimit-contract/msw` (package.json's `browser` condition): no node modules,
// so a bundler can put it in a page with msw's `setupWorker`. The API comes as data: `loadApiDefinition`
// writes it in node (see the README's "MSW" section).
import type { ApiDefinition } from '../engine/api-definition.js';
import type { EngineRuntimeOptions } from '../engine/api-model.js';
import { createEngine } from '../engine/create-engine.js';
import { handlersFor, type MswPlacement, type MswRateLimitedApi } from './rate-limited-handlers.js';

export type { RecordedAttempt } from '../client/attempt.js';
export type { ApiDefinition } from '../engine/api-definition.js';
export { type NodeTestMockTimers, type NodeTestTimerControls, nodeTestTimers } from '../engine/node-test-timers.js';
export type { ScriptMatch } from '../engine/script-queue.js';
export { delayed, passThrough, rateLimited, replyWith, type ScriptStep, serverError } from '../engine/scripted-steps.js';
export type { FakeTimerControls, SettleOptions } from '../engine/settle-with-fake-timers.js';
export { type SinonClockControls, sinonTimers } from '../engine/sinon-timers.js';
export type { MswPlacement, MswRateLimitedApi } from './rate-limited-handlers.js';

/** Options of `createRateLimitedApi`: where the API lives, and its clock (real time by default). */
export interface CreateRateLimitedApiOptions extends MswPlacement, Pick<EngineRuntimeOptions, 'clock'> {}

/**
 * MSW request handlers for an API given as data (a definition from `loadApiDefinition`), for a browser's
 * `setupWorker` or node's `setupServer`: the same engine, scripts and attempt log as the nock helper.
 * @example const api = createRateLimitedApi(definition, { baseUrl: 'https://api.reconlayer.test' }); await setupWorker(...api.handlers).start();
 */
export function createRateLimitedApi(definition: ApiDefinition, options: CreateRateLimitedApiOptions): MswRateLimitedApi {
  return handlersFor(createEngine(definition, { clock: options.clock }), options);
}
