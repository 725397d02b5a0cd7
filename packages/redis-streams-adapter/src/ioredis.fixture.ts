// Conformance factory: the streams adapter over an ioredis client, one per server process.
import { Redis } from 'ioredis';
import type { ConformanceNodeContext } from '@switchboard/adapter/conformance';
import type { AdapterConstructor } from '@switchboard/server';
import { createAdapter as createStreamsAdapter, type RedisStreamsAdapterOptions } from './index.js';

const clients: Redis[] = [];

export function createAdapter(context: ConformanceNodeContext): AdapterConstructor {
  const client = new Redis(String(context.options.url));
  client.on('error', () => {});
  clients.push(client);
  const key = String(context.options.key);
  return createStreamsAdapter(client, {
    streamName: `${key}-stream`,
    channelPrefix: key,
    sessionKeyPrefix: `${key}-session:`,
    requestsTimeout: context.requestsTimeout,
    // The options suite turns on the official adapter's other options (streamCount, useShardedPubSub).
    ...(context.options.extra as RedisStreamsAdapterOptions | undefined),
  });
}

export async function closeAdapter(): Promise<void> {
  await Promise.all(clients.map((client) => client.quit().catch(() => {})));
}
