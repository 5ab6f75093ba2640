export type { RecordedAttempt } from '../client/attempt.js';
export { type AttemptLog, createAttemptLog } from '../engine/attempt-log.js';
export { type NodeTestMockTimers, type NodeTestTimerControls, nodeTestTimers } from '../engine/node-test-timers.js';
export type { ScriptMatch } from '../engine/script-queue.js';
export { delayed, describeStep, passThrough, rateLimited, replyWith, type ScriptStep, serverError } from '../engine/scripted-steps.js';
export { type FakeTimerControls, type SettleOptions, settleWithFakeTimers } from '../engine/settle-with-fake-timers.js';
export { type SinonClockControls, sinonTimers } from '../engine/sinon-timers.js';
export { type ApiModelOptions, type MockRateLimitedApiOptions, mockRateLimitedApi, type RateLimitedApi } from './mock-rate-limited-api.js';
