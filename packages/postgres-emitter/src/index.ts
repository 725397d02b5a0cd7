// Public API of @switchboard/postgres-emitter: emits to a cluster's clients through PostgreSQL, from any Node process.
export { Emitter, type PostgresEmitterOptions } from './emitter.js';
export { BroadcastOperator, type EmitterFlags } from './broadcast-operator.js';
export type { PostgresQueryable } from './publisher.js';
export { PostgresEmitterError, PostgresEmitterErrorCode, type PostgresEmitterErrorCodeValue } from './errors.js';
export type { DefaultEventsMap, EventNames, EventParams, EventsMap, TypedEventBroadcaster } from './typed-events.js';
