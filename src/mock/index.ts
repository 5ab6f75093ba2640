export { CONTROL_PREFIX } from './control-api.js';
export type { MockServerOptions } from './mock-options.js';
export { type MockServer, startMockServer } from './start-mock-server.js';
