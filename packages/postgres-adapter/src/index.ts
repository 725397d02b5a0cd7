// Public API of @switchboard/postgres-adapter: the PostgreSQL (LISTEN/NOTIFY) adapter.
export { createAdapter, type PostgresAdapterOptions } from './postgres-adapter.js';
export type { PostgresNotification, PostgresPool, PostgresPoolClient, PostgresQueryResult } from './pg-types.js';
export { PostgresAdapterError, PostgresAdapterErrorCode, type PostgresAdapterErrorCodeValue } from './errors.js';
