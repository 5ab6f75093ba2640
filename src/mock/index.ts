export type { MockServerOptions } from '../engine/engine-options.js';
export { CONTROL_PREFIX } from './control-api.js';
export { type MockServer, startMockServer } from './start-mock-server.js';
