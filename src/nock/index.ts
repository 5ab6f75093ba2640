export type { RecordedAttempt } from '../client/attempt.js';
export { type AttemptLog, createAttemptLog } from './attempt-log.js';
export type { ApiModelOptions } from './load-api-model.js';
export { type MockRateLimitedApiOptions, mockRateLimitedApi, type RateLimitedApi } from './mock-rate-limited-api.js';
export { delayed, describeStep, passThrough, rateLimited, replyWith, type ScriptMatch, type ScriptStep, serverError } from './scripted-sequence.js';
export { type FakeTimerControls, type SettleOptions, settleWithFakeTimers } from './settle-with-fake-timers.js';
