// Conformance factory: the sharded adapter over ioredis clients, one pair per server process.
import { Redis } from 'ioredis';
import type { ConformanceNodeContext } from '@switchboard/adapter/conformance';
import type { AdapterConstructor } from '@switchboard/server';
import { createShardedAdapter, type SubscriptionMode } from './index.js';

const clients: Redis[] = [];

export async function createAdapter(context: ConformanceNodeContext): Promise<AdapterConstructor> {
  const pubClient = new Redis(String(context.options.url), { lazyConnect: true });
  const subClient = pubClient.duplicate();
  for (const client of [pubClient, subClient]) {
    client.on('error', () => {});
    clients.push(client);
  }
  await Promise.all([pubClient.connect(), subClient.connect()]);
  return createShardedAdapter(pubClient, subClient, {
    channelPrefix: String(context.options.channelPrefix),
    subscriptionMode: context.options.subscriptionMode as SubscriptionMode,
    requestsTimeout: context.requestsTimeout,
  });
}

export async function closeAdapter(): Promise<void> {
  await Promise.all(clients.map((client) => client.quit().catch(() => {})));
}
