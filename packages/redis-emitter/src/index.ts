// Public API of @switchboard/redis-emitter: emits to a cluster's clients through Redis, from any Node process.
export { Emitter, type EmitterOptions } from './emitter.js';
export { BroadcastOperator, type EmitterFlags, type RedisPublisher } from './broadcast-operator.js';
export type { EmitterParser } from './parser.js';
export { EmitterError, EmitterErrorCode, type EmitterErrorCodeValue } from './errors.js';
export type { DefaultEventsMap, EventNames, EventParams, EventsMap, TypedEventBroadcaster } from './typed-events.js';
