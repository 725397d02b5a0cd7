// Public API of @switchboard/redis-adapter: Redis adapters wire-compatible with @socket.io/redis-adapter.
export { createShardedAdapter, type ShardedRedisAdapterOptions, type SubscriptionMode } from './sharded-adapter.js';
export type { ShardedRedisClient, NodeRedisShardedClient, IoRedisShardedClient } from './sharded-redis-client.js';
