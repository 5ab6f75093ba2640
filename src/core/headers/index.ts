// The one module that knows rate-limit header names and syntax: a write side (the engine) and a read side
// (the conformance suite, the reference clients, attempt logs), both driven by a policy's header format.

export { detectRateLimitHeaders } from './detect-headers.js';
export { formatDurationText, parseDurationText } from './duration-text.js';
export { type AnyHeaders, headerGetter } from './header-getter.js';
export { allSentHeaderNames, DEFAULT_HEADER_NAMES, type SentHeaderNames, sentHeaderNames } from './header-names.js';
export {
  FieldSyntaxError,
  parseDraft7,
  parsePolicies,
  parseServiceLimits,
  type QuotaPolicyItem,
  RATELIMIT,
  RATELIMIT_LIMIT,
  RATELIMIT_POLICY,
  RATELIMIT_REMAINING,
  RATELIMIT_RESET,
  type ServiceLimitItem,
} from './ietf-fields.js';
export { type HeaderGetter, type HeaderProblem, type HeaderReading, type HeaderSource, type LimitReading, readRateLimitHeaders } from './read-headers.js';
export { type BudgetSummary, summariseReading } from './summary.js';
export { tightestIndex } from './tightest.js';
export { readReset, readRetryAfter, retryAfterHasFormat, writeReset, writeRetryAfter } from './time-values.js';
export { intText, readWholeNumber, toWholeSeconds } from './whole-numbers.js';
export { createHeaderWriter, type HeaderWriter, type HeaderWriterOptions, type RejectionInfo } from './write-headers.js';
