export * from './core/index.js';
export { createMemoryStore, type MemoryStoreOptions, DEFAULT_MAX_KEYS } from './store/memory-store.js';
export { startMockServer, type MockServer, type MockServerOptions } from './mock/index.js';
export { loadSpec, type LoadedSpec } from './spec/load-spec.js';
export { loadCredentials, validateCredentials, type CredentialsFile, type Credential } from './spec/credentials.js';
export { profileFiles, PROFILE_NAMES, type ProfileName } from './spec/profiles.js';
export { runConformance, type ConformanceOptions, type ConformanceReport } from './conformance/index.js';
