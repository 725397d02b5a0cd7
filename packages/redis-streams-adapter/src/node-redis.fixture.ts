// Conformance factory: the streams adapter over a node-redis client (v4, or v5 with `client: 'v5'`), one per process.
import { createClient as createClientV4 } from 'redis';
import { createClient as createClientV5 } from 'redis-v5';
import type { ConformanceNodeContext } from '@switchboard/adapter/conformance';
import type { AdapterConstructor } from '@switchboard/server';
import { createAdapter as createStreamsAdapter } from './index.js';

const clients: { quit(): Promise<unknown> }[] = [];

export async function createAdapter(context: ConformanceNodeContext): Promise<AdapterConstructor> {
  const url = String(context.options.url);
  const client = context.options.client === 'v5' ? createClientV5({ url }) : createClientV4({ url });
  client.on('error', () => {}); // reconnection is the client's job; the suite kills servers, not Redis
  clients.push(client);
  await client.connect();
  const key = String(context.options.key);
  return createStreamsAdapter(client, {
    streamName: `${key}-stream`,
    channelPrefix: key,
    sessionKeyPrefix: `${key}-session:`,
    requestsTimeout: context.requestsTimeout,
  });
}

export async function closeAdapter(): Promise<void> {
  await Promise.all(clients.map((client) => client.quit().catch(() => {})));
}
