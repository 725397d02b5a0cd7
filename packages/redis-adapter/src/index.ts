// Public API of @switchboard/redis-adapter: Redis adapters wire-compatible with @socket.io/redis-adapter.
export { createShardedAdapter, type ShardedRedisAdapterOptions, type SubscriptionMode } from './sharded-adapter.js';
export type { ShardedRedisClient, NodeRedisShardedClient, IoRedisShardedClient } from './sharded-redis-client.js';
export { createAdapter, RedisAdapter, type RedisAdapterOptions } from './classic-adapter.js';
export type { RedisParser } from './classic-parser.js';
export type { RedisClient, NodeRedisClient, IoRedisClient } from './classic-redis-client.js';
// eslint-disable-next-line @typescript-eslint/no-deprecated -- the old names stay exported until a major version
export { RedisAdapterError, RedisAdapterErrorCode, type RedisAdapterErrorCodeValue } from './classic-errors.js';
export { AdapterError, AdapterErrorCode, type AdapterErrorCodeValue } from '@switchboard/adapter';
