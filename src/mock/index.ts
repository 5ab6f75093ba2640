export { startMockServer, type MockServer } from './start-mock-server.js';
export type { MockServerOptions } from './mock-options.js';
export { CONTROL_PREFIX } from './control-api.js';
