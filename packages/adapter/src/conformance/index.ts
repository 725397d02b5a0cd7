// Public API of @switchboard/adapter/conformance: the suite adapter authors run against their adapter.
export { defineAdapterConformanceSuite, type AdapterConformanceOptions } from './suite.js';
export type { ConformanceNodeContext } from './protocol.js';
