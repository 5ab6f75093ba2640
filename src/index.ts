export { type ConformanceOptions, type ConformanceReport, runConformance } from './conformance/index.js';
export * from './core/index.js';
export { type MockServer, type MockServerOptions, startMockServer } from './mock/index.js';
export { type Credential, type CredentialsFile, loadCredentials, validateCredentials } from './openapi/credentials.js';
export { type LoadedSpec, loadSpec } from './openapi/load-spec.js';
export { PROFILE_NAMES, type ProfileName, profileFiles } from './openapi/profiles.js';
export { createMemoryStore, DEFAULT_MAX_KEYS, type MemoryStoreOptions } from './store/memory-store.js';
export { openRedisStore, type RedisStore, type RedisStoreOptions } from './store/redis-store.js';
export type { StoreOutage } from './store/store-outage.js';
