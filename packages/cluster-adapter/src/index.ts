// Public API of @switchboard/cluster-adapter: the node:cluster adapter (workers) and its relay (primary).
export { createAdapter, NodeClusterAdapter, type NodeClusterAdapterOptions } from './worker-adapter.js';
export { setupPrimary, type SetupPrimaryOptions } from './primary.js';
export { MESSAGE_SOURCE } from './envelope.js';
