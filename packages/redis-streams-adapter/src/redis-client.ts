// The Redis clients users bring (node-redis v4/v5, ioredis) behind the few calls the streams adapter makes: raw
// commands (RESP2 replies, alike in both libraries), a duplicate connection, pub/sub with Buffer payloads.
import { AdapterError, AdapterErrorCode } from '@switchboard/adapter';

type Call = (...args: unknown[]) => unknown;
type AnyMethod = (...args: never[]) => unknown;

/** A node-redis v4/v5 client (`createClient()`), connected; only the methods the adapter calls are named. */
export interface NodeRedisClient {
  sendCommand: AnyMethod;
  duplicate: AnyMethod;
  subscribe: AnyMethod;
  on: AnyMethod;
}

/** An ioredis client (`new Redis()`); only the methods the adapter calls are named. */
export interface IoRedisClient {
  call: AnyMethod;
  duplicate: AnyMethod;
  subscribe: AnyMethod;
  on: AnyMethod;
}

/** A Redis client of either kind. */
export type RedisClient = NodeRedisClient | IoRedisClient;

/** One connection as the adapter uses it. */
export interface Connection {
  /** Sends a command; the reply is RESP2-shaped (arrays, strings, numbers, null). */
  command(args: (string | Buffer)[]): Promise<unknown>;
  /**
   * Subscribes to `channels` (with SSUBSCRIBE when `sharded`, Redis >= 7.0); `onMessage` gets each message's channel
   * and bytes. Resubscribed by the client.
   */
  subscribe(channels: string[], onMessage: (channel: string, message: Buffer) => void, sharded: boolean): Promise<void>;
  /** A new connection to the same server (connected, errors swallowed: the owner reads outcomes, not events). */
  duplicate(): Promise<Connection>;
  /** Closes the connection at once, even with a blocking command pending. */
  destroy(): void;
  /** Whether the client is connected and ready (false while it reconnects: commands then wait in its queue). */
  readonly ready: boolean;
}

/** node-redis says `isReady`, ioredis `status === 'ready'`; a client that says neither is taken as ready. */
function isReady(client: object): boolean {
  const { isReady: ready, status } = client as { isReady?: unknown; status?: unknown };
  if (typeof ready === 'boolean') return ready;
  if (typeof status === 'string') return status === 'ready';
  return true;
}

function isNodeRedis(client: RedisClient): client is NodeRedisClient {
  // ioredis has a sendCommand too (taking a Command object): `call` tells it apart.
  return typeof (client as Partial<NodeRedisClient>).sendCommand === 'function' && !isIoRedis(client);
}

function isIoRedis(client: RedisClient): client is IoRedisClient {
  return typeof (client as Partial<IoRedisClient>).call === 'function';
}

/** Throws ADAPTER_ERR_UNSUPPORTED_CLIENT unless `client` is a node-redis or ioredis client. */
export function assertRedisClient(client: unknown): asserts client is RedisClient {
  const candidate = client as RedisClient;
  const ok =
    typeof client === 'object' &&
    client !== null &&
    typeof candidate.duplicate === 'function' &&
    (isNodeRedis(candidate) || isIoRedis(candidate));
  if (!ok) {
    throw new AdapterError(
      AdapterErrorCode.UNSUPPORTED_CLIENT,
      'redisClient must be a node-redis client (createClient() from "redis" v4 or v5) or an ioredis client (new Redis())',
    );
  }
}

/** Throws ADAPTER_ERR_UNSUPPORTED_CLIENT unless `client` can subscribe with SSUBSCRIBE (node-redis >= 4.6, ioredis >= 5.3). */
export function assertShardedPubSub(client: RedisClient): void {
  const name = isNodeRedis(client) ? 'sSubscribe' : 'ssubscribe';
  if (method(client, name) === undefined) throw unsupportedSharded(isNodeRedis(client) ? 'node-redis' : 'ioredis');
}

function method(client: object, name: string): Call | undefined {
  const fn = (client as Record<string, unknown>)[name];
  return typeof fn === 'function' ? (fn as Call).bind(client) : undefined;
}

/** Wraps a user's client (which stays the user's: `destroy` is only called on duplicates). */
export function wrapClient(client: RedisClient): Connection {
  return isNodeRedis(client) ? nodeRedisConnection(client) : ioRedisConnection(client);
}

function nodeRedisConnection(client: NodeRedisClient): Connection {
  const RETURN_BUFFERS = true;
  return {
    get ready() {
      return isReady(client);
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- async: a synchronous throw becomes a rejection
    command: async (args) => (client.sendCommand as Call).call(client, args),
    async subscribe(channels, onMessage, sharded) {
      const listener = (message: Buffer, channel: Buffer | string) => onMessage(channel.toString(), message);
      if (!sharded) {
        await (client.subscribe as Call).call(client, channels, listener, RETURN_BUFFERS);
        return;
      }
      const sSubscribe = method(client, 'sSubscribe');
      if (sSubscribe === undefined) throw unsupportedSharded('node-redis');
      // One call per channel: on a cluster, channels of different slots live on different shards.
      for (const channel of channels) await sSubscribe(channel, listener, RETURN_BUFFERS);
    },
    async duplicate() {
      const copy = (client.duplicate as Call).call(client) as NodeRedisClient & { connect: () => Promise<unknown> };
      (copy.on as Call).call(copy, 'error', () => {});
      await copy.connect();
      return nodeRedisConnection(copy);
    },
    destroy() {
      // node-redis v5 names it destroy(); v4 disconnect(). Both drop pending commands at once.
      const close = method(client, 'destroy') ?? method(client, 'disconnect');
      try {
        const result = close?.();
        if (result instanceof Promise) result.catch(() => {});
      } catch {
        // already closed
      }
    },
  };
}

function unsupportedSharded(library: string): AdapterError {
  return new AdapterError(
    AdapterErrorCode.UNSUPPORTED_CLIENT,
    `useShardedPubSub needs a ${library} client with sharded pub/sub (SSUBSCRIBE)`,
  );
}

type MessageHandler = (channel: string, message: Buffer) => void;

function ioRedisConnection(client: IoRedisClient): Connection {
  // ioredis delivers every subscription of the client through one event per kind: dispatch by channel.
  const handlers = {
    messageBuffer: new Map<string, MessageHandler>(),
    smessageBuffer: new Map<string, MessageHandler>(),
  };
  const listening = new Set<keyof typeof handlers>();
  return {
    get ready() {
      return isReady(client);
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- async: a synchronous throw becomes a rejection
    command: async (args) => {
      const [name, ...rest] = args;
      return (client.call as Call).call(client, name, ...rest);
    },
    async subscribe(channels, onMessage, sharded) {
      const event = sharded ? 'smessageBuffer' : 'messageBuffer';
      const subscribe = method(client, sharded ? 'ssubscribe' : 'subscribe');
      if (subscribe === undefined) throw unsupportedSharded('ioredis');
      const byChannel = handlers[event];
      for (const channel of channels) byChannel.set(channel, onMessage);
      if (!listening.has(event)) {
        listening.add(event);
        (client.on as Call).call(client, event, (channel: Buffer, message: Buffer) => {
          const name = channel.toString();
          byChannel.get(name)?.(name, message);
        });
      }
      await subscribe(...channels);
    },
    async duplicate() {
      const copy = (client.duplicate as Call).call(client) as IoRedisClient & {
        status?: string;
        connect: () => Promise<unknown>;
      };
      (copy.on as Call).call(copy, 'error', () => {});
      // Made with lazyConnect, the copy waits for a first command; connect now so the first XREAD is not delayed.
      if (copy.status === 'wait') await copy.connect();
      return ioRedisConnection(copy);
    },
    destroy() {
      try {
        method(client, 'disconnect')?.();
      } catch {
        // already closed
      }
    },
  };
}
