// Connects the chat to Redis when REDIS_URL is set: two node-redis clients and the Redis adapter over them, so
// several chat processes share broadcasts (and, through SharedChatStore, channels and presence).
import { createAdapter } from '@switchboard/redis-adapter';
import { createClient } from 'redis';

/** Gives up connecting after this many attempts (about 10 s), so a wrong REDIS_URL ends the start with a message. */
const MAX_CONNECT_ATTEMPTS = 20;

/**
 * @param {string} url e.g. redis://127.0.0.1:6379
 * @param {string} key prefix of the chat's channels
 * @returns {Promise<{ adapter: ReturnType<typeof createAdapter>, quit: () => Promise<void> }>}
 */
export async function connectRedis(url, key) {
  let connected = false;
  const pubClient = createClient({
    url,
    socket: {
      // Before the first connection: a bounded number of attempts; after it, reconnect for as long as it takes.
      reconnectStrategy: (retries) =>
        !connected && retries >= MAX_CONNECT_ATTEMPTS
          ? new Error(`cannot reach Redis at ${url}`)
          : Math.min(100 * (retries + 1), 2000),
    },
  });
  const subClient = pubClient.duplicate();
  for (const client of [pubClient, subClient]) client.on('error', () => {}); // reported by the adapter's debug log
  await Promise.all([pubClient.connect(), subClient.connect()]);
  connected = true;
  return {
    adapter: createAdapter(pubClient, subClient, { key, requestsTimeout: 5000 }),
    quit: async () => {
      await Promise.allSettled([pubClient.quit(), subClient.quit()]);
    },
  };
}
