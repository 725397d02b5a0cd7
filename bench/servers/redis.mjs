// @ts-check
// A cluster node's Redis adapter: node-redis v4 clients (a publisher and a subscriber) with either our classic adapter
// or socket.io's official @socket.io/redis-adapter, on channels under a key unique to the run.
import { createClient } from 'redis';
import { localDeliveryOptions } from '../lib/adapter-options.mjs';

/**
 * @typedef {'ours' | 'official'} AdapterKind
 * @typedef {{ factory: unknown, published: () => number, close: () => Promise<void> }} ClusterAdapter published: how
 *   many PUBLISH commands the adapter has sent (both adapters publish through the client's `publish`)
 */

/**
 * Connects the two Redis clients and makes the adapter factory the Server is given.
 * @param {AdapterKind} kind
 * @param {string} url
 * @param {string} key the channel prefix, unique per run so concurrent runs and tests never hear each other
 * @returns {Promise<ClusterAdapter>}
 */
export async function createClusterAdapter(kind, url, key) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  // A broken connection shows up as lost deliveries in the runner's counts; the cause is worth a line on stderr.
  for (const client of [pub, sub])
    client.on('error', (error) => process.stderr.write(`redis client: ${String(error)}\n`));
  await Promise.all([pub.connect(), sub.connect()]);
  // Counted on the client, exactly, rather than from Redis' INFO commandstats, which every user of the shared server
  // moves. The wrapper only counts and forwards.
  let published = 0;
  const publish = pub.publish.bind(pub);
  pub.publish = /** @type {typeof pub.publish} */ (
    (/** @type {Parameters<typeof pub.publish>} */ ...args) => {
      published++;
      return publish(...args);
    }
  );
  const factory =
    kind === 'ours'
      ? (await import('@switchboard/redis-adapter')).createAdapter(pub, sub, { key, ...localDeliveryOptions() })
      : (await import('@socket.io/redis-adapter')).createAdapter(pub, sub, { key });
  return {
    factory,
    published: () => published,
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
