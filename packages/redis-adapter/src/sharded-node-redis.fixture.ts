// Conformance factory: the sharded adapter over node-redis v4 clients, one pair per server process.
import { createClient } from 'redis';
import type { ConformanceNodeContext } from '@switchboard/adapter/conformance';
import type { AdapterConstructor } from '@switchboard/server';
import { createShardedAdapter, type SubscriptionMode } from './index.js';

const clients: ReturnType<typeof createClient>[] = [];

export async function createAdapter(context: ConformanceNodeContext): Promise<AdapterConstructor> {
  const pubClient = createClient({ url: String(context.options.url) });
  const subClient = pubClient.duplicate();
  for (const client of [pubClient, subClient]) {
    client.on('error', () => {}); // reconnection is the client's job; the suite kills servers, not Redis
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
