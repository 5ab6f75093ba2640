export { describeRateLimitConformance, type VitestConformanceOptions } from './describe-rate-limit-conformance.js';
