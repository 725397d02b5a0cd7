// @ts-check
// A cluster node's Redis Streams adapter: one node-redis v4 client with either our @switchboard/redis-streams-adapter
// or socket.io's @socket.io/redis-streams-adapter 0.3, on a stream, channels and session keys unique to the run (the
// runner deletes the stream). Connection state recovery stays off, as in the other cluster scenarios: this measures
// broadcasts.
import { createClient } from 'redis';
import { localDeliveryOptions } from '../lib/adapter-options.mjs';

/**
 * @param {'ours' | 'official'} kind
 * @param {string} url
 * @param {string} key prefix of the stream (`<key>-stream`), the channels and the session keys, unique per run
 * @returns {Promise<import('./redis.mjs').ClusterAdapter>} published: always 0 here; the runner counts stream entries
 */
export async function createStreamsClusterAdapter(kind, url, key) {
  const client = createClient({ url });
  client.on('error', (error) => process.stderr.write(`redis client: ${String(error)}\n`));
  await client.connect();
  const opts = { streamName: `${key}-stream`, channelPrefix: key, sessionKeyPrefix: `${key}-session:` };
  const factory =
    kind === 'ours'
      ? (await import('@switchboard/redis-streams-adapter')).createAdapter(client, {
          ...opts,
          ...localDeliveryOptions(),
        })
      : (await import('@socket.io/redis-streams-adapter')).createAdapter(client, opts);
  return {
    factory,
    published: () => 0,
    async close() {
      await client.quit().catch(() => {});
    },
  };
}
