// The example adapter of docs/adapters.md (Redis PUBLISH/SUBSCRIBE, heartbeats on) as a conformance factory: it
// proves the kit's heartbeat mode (servers counted by heartbeats, dead ones forgotten) in three processes.
import { createClient } from 'redis';
import type { AdapterConstructor, AdapterNamespace } from '@switchboard/server';
import {
  ClusterAdapter,
  decodeClusterMessage,
  encodeClusterMessage,
  type ClusterAdapterOptions,
  type ClusterMessage,
} from '../index.js';
import type { ConformanceNodeContext } from './index.js';

type RedisClient = ReturnType<typeof createClient>;

/** The docs' example: a ClusterAdapter needs only `publish`, plus `onMessage` for what arrives. */
export function createPubSubAdapter(
  pub: RedisClient,
  sub: RedisClient,
  opts: ClusterAdapterOptions & { prefix: string },
): AdapterConstructor {
  return class PubSubAdapter extends ClusterAdapter {
    readonly #channel: string;

    constructor(nsp: AdapterNamespace) {
      super(nsp, opts);
      this.#channel = `${opts.prefix}#${nsp.name}#`;
    }

    // Subscribed before the first heartbeat goes out, so the answers to it are heard.
    override async init(): Promise<void> {
      await sub.subscribe(this.#channel, (raw) => this.onMessage(decodeClusterMessage(raw)), true);
      await super.init();
    }

    protected async publish(message: ClusterMessage): Promise<void> {
      await pub.publish(this.#channel, encodeClusterMessage(message));
    }

    override async close(): Promise<void> {
      await super.close();
      await sub.unsubscribe(this.#channel);
    }
  };
}

const clients: RedisClient[] = [];

export async function createAdapter(context: ConformanceNodeContext): Promise<AdapterConstructor> {
  const pub = createClient({ url: String(context.options.url) });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) {
    client.on('error', () => {});
    clients.push(client);
  }
  await Promise.all([pub.connect(), sub.connect()]);
  const { requestsTimeout, heartbeatInterval, heartbeatTimeout } = context;
  return createPubSubAdapter(pub, sub, {
    prefix: String(context.options.prefix),
    requestsTimeout,
    heartbeatInterval,
    heartbeatTimeout,
  });
}

export async function closeAdapter(): Promise<void> {
  await Promise.all(clients.map((client) => client.quit().catch(() => {})));
}
