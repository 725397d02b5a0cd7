// The Redis commands the sharded adapter needs (SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH, PUBSUB SHARDNUMSUB), over
// either client the user brings: node-redis v4 (`redis`) or ioredis.
import createDebug from 'debug';
import { AdapterError, AdapterErrorCode } from '@switchboard/adapter';

const debug = createDebug('switchboard:redis-adapter:client');

/** Receives a message published on a channel the adapter subscribed to. */
export type ShardedMessageHandler = (message: Buffer, channel: string) => void;

/** The methods of a node-redis v4 client the sharded adapter calls. */
export interface NodeRedisShardedClient {
  sSubscribe(channels: string, listener: (message: Buffer, channel: Buffer) => void, bufferMode: true): Promise<void>;
  sUnsubscribe(channels: string): Promise<void>;
  sPublish(channel: string, message: Buffer | string): Promise<number>;
  sendCommand(args: string[]): Promise<unknown>;
}

/** The methods of an ioredis client the sharded adapter calls. */
export interface IoRedisShardedClient {
  ssubscribe(...channels: string[]): Promise<unknown>;
  sunsubscribe(...channels: string[]): Promise<unknown>;
  spublish(channel: string, message: Buffer | string): Promise<unknown>;
  call(command: string, ...args: string[]): Promise<unknown>;
  on(event: 'smessageBuffer', listener: (channel: Buffer, message: Buffer) => void): unknown;
}

/** A Redis client as `createShardedAdapter` accepts it: node-redis v4 or ioredis. */
export type ShardedRedisClient = NodeRedisShardedClient | IoRedisShardedClient;

function isNodeRedis(client: ShardedRedisClient): client is NodeRedisShardedClient {
  return typeof (client as Partial<NodeRedisShardedClient>).sSubscribe === 'function';
}

function isIoRedis(client: ShardedRedisClient): client is IoRedisShardedClient {
  return typeof (client as Partial<IoRedisShardedClient>).ssubscribe === 'function';
}

/** ioredis delivers every sharded message through one event: one listener per client, handlers by channel. */
const ioRedisHandlers = new WeakMap<IoRedisShardedClient, Map<string, ShardedMessageHandler>>();

function handlersOf(client: IoRedisShardedClient): Map<string, ShardedMessageHandler> {
  let handlers = ioRedisHandlers.get(client);
  if (handlers === undefined) {
    const created = new Map<string, ShardedMessageHandler>();
    client.on('smessageBuffer', (channel, message) => {
      const name = channel.toString();
      created.get(name)?.(message, name);
    });
    ioRedisHandlers.set(client, created);
    handlers = created;
  }
  return handlers;
}

/** Throws ADAPTER_ERR_INVALID_OPTION unless `client` speaks sharded pub/sub. */
export function assertShardedClient(name: string, client: unknown): asserts client is ShardedRedisClient {
  const candidate = client as ShardedRedisClient;
  if (typeof client !== 'object' || client === null || (!isNodeRedis(candidate) && !isIoRedis(candidate))) {
    throw new AdapterError(
      AdapterErrorCode.INVALID_OPTION,
      `${name} must be a node-redis v4 client (createClient from "redis" >= 4.6) or an ioredis client (>= 5.3), ` +
        'both of which support sharded pub/sub',
    );
  }
}

/** SSUBSCRIBE; a failure (Redis down) is logged: the client resubscribes on its own when it reconnects. */
export function sSubscribe(client: ShardedRedisClient, channel: string, handler: ShardedMessageHandler): void {
  let result: Promise<unknown>;
  if (isNodeRedis(client)) {
    result = client.sSubscribe(channel, (message, rawChannel) => handler(message, rawChannel.toString()), true);
  } else {
    handlersOf(client).set(channel, handler);
    result = client.ssubscribe(channel);
  }
  result.catch((err: unknown) => debug('SSUBSCRIBE %s failed: %o', channel, err));
}

/** SUNSUBSCRIBE; resolves even when Redis is unreachable (there is nothing left to do then). */
export async function sUnsubscribe(client: ShardedRedisClient, channel: string): Promise<void> {
  try {
    if (isNodeRedis(client)) await client.sUnsubscribe(channel);
    else {
      handlersOf(client).delete(channel);
      await client.sunsubscribe(channel);
    }
  } catch (err) {
    debug('SUNSUBSCRIBE %s failed: %o', channel, err);
  }
}

/** SPUBLISH. */
export async function sPublish(client: ShardedRedisClient, channel: string, payload: Buffer | string): Promise<void> {
  if (isNodeRedis(client)) await client.sPublish(channel, payload);
  else await client.spublish(channel, payload);
}

/** PUBSUB SHARDNUMSUB: how many connections subscribe to `channel` (one per server of the namespace). */
export async function shardNumSub(client: ShardedRedisClient, channel: string): Promise<number> {
  const reply = isNodeRedis(client)
    ? await client.sendCommand(['PUBSUB', 'SHARDNUMSUB', channel])
    : await client.call('PUBSUB', 'SHARDNUMSUB', channel);
  // The reply is [channel, count].
  const count = Array.isArray(reply) ? Number(reply[1]) : Number.NaN;
  if (!Number.isSafeInteger(count)) throw new Error(`unexpected PUBSUB SHARDNUMSUB reply: ${JSON.stringify(reply)}`);
  return count;
}
