export { authmatechChecks } from './authmatech-checks.js';
export type { CheckContext } from './check-context.js';
export type {
  CheckResult,
  CheckStatus,
  CheckText,
  ConformanceCheck,
  Exchange,
  FailureDetail,
  FindingKind,
  ProbeRequest,
  ProbeResponse,
} from './conformance-check.js';
export { type ConformanceSuite, resolveSuite, type SuiteOptions } from './conformance-suite.js';
export { formatFailure } from './format-failure.js';
export { reconlayerChecks } from './reconlayer-checks.js';
export type { RecordedExchange, RecordedExchanges } from './recorded-exchange.js';
export { formatHtmlReport } from './reporters/html.js';
export { formatJsonReport } from './reporters/json.js';
export { formatJunitReport } from './reporters/junit.js';
export { formatPrettyReport, formatProgressLine } from './reporters/pretty.js';
export { type ConformanceOptions, type ConformanceReport, type ConformanceSession, openConformanceSession, runConformance } from './run-conformance.js';
export { specChecks } from './spec-checks.js';
export type { ConformanceTarget } from './targets/conformance-target.js';
export type { TargetInput } from './targets/resolve-target.js';
