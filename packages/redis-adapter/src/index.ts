// Public API of @switchboard/redis-adapter: Redis adapters wire-compatible with @socket.io/redis-adapter.
export { createAdapter, RedisAdapter, type RedisAdapterOptions } from './classic-adapter.js';
export type { RedisParser } from './classic-parser.js';
export type { RedisClient, NodeRedisClient, IoRedisClient } from './classic-redis-client.js';
export { RedisAdapterError, RedisAdapterErrorCode, type RedisAdapterErrorCodeValue } from './classic-errors.js';
