// Public API of @switchboard/redis-streams-adapter: the adapter over Redis streams, its options and counters.
export {
  createAdapter,
  RedisStreamsAdapter,
  type RedisStreamsAdapterOptions,
  type RedisStreamsAdapterStats,
} from './streams-adapter.js';
export type { IoRedisClient, NodeRedisClient, RedisClient } from './redis-client.js';
