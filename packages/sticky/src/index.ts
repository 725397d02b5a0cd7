// Public API of @switchboard/sticky: sticky sessions under node:cluster (setupMaster in the primary, setupWorker in
// each worker), with the names of @socket.io/sticky.
export { setupMaster, setupMaster as setupPrimary, type SetupMasterOptions, type StickyPrimary } from './primary.js';
export { setupWorker, type StickyServer, type StickyHttpServer, type StickySession } from './worker.js';
export type { LoadBalancingMethod } from './balancer.js';
export { StickyError, StickyErrorCode, type StickyErrorCodeValue } from './errors.js';
