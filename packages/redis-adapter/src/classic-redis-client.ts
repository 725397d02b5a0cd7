// The two Redis clients users bring (node-redis v4/v5, ioredis) behind the few pub/sub calls the classic adapter makes.
import { AdapterError, AdapterErrorCode } from '@switchboard/adapter';

type AnyMethod = (...args: never[]) => unknown;

/** A node-redis v4/v5 client (`createClient()`), connected; only the methods the adapter calls are named. */
export interface NodeRedisClient {
  pSubscribe: AnyMethod;
  pUnsubscribe: AnyMethod;
  subscribe: AnyMethod;
  unsubscribe: AnyMethod;
  publish: AnyMethod;
  sendCommand: AnyMethod;
  on: AnyMethod;
  off: AnyMethod;
}

/** An ioredis client (`new Redis()`); only the methods the adapter calls are named. */
export interface IoRedisClient {
  psubscribe: AnyMethod;
  punsubscribe: AnyMethod;
  subscribe: AnyMethod;
  unsubscribe: AnyMethod;
  publish: AnyMethod;
  call: AnyMethod;
  on: AnyMethod;
  off: AnyMethod;
}

/** A Redis client of either kind. */
export type RedisClient = NodeRedisClient | IoRedisClient;

/** Receives one pub/sub message: its channel and its raw bytes. */
export type MessageHandler = (channel: string, message: Buffer) => void;

/** The pub/sub operations of one adapter, on one publishing and one subscribing client. */
export interface PubSub {
  readonly kind: 'node-redis' | 'ioredis';
  /** Whether the publishing client is connected and ready (false while it reconnects). */
  readonly ready: boolean;
  publish(channel: string, message: Uint8Array | string): Promise<unknown>;
  /** How many subscribers `channel` has (PUBSUB NUMSUB). */
  countSubscribers(channel: string): Promise<number>;
  subscribe(pattern: string, channels: string[], onPattern: MessageHandler, onChannel: MessageHandler): Promise<void>;
  unsubscribe(): Promise<void>;
  /** Adds `listener` to both clients' `error` events (an unlistened error event would crash the process). */
  onError(listener: (err: unknown) => void): () => void;
}

function isNodeRedis(client: RedisClient): client is NodeRedisClient {
  return typeof (client as Partial<NodeRedisClient>).pSubscribe === 'function';
}

function isIoRedis(client: RedisClient): client is IoRedisClient {
  return typeof (client as Partial<IoRedisClient>).psubscribe === 'function';
}

/** node-redis says `isReady`, ioredis `status === 'ready'`; a client that says neither is taken as ready. */
export function isClientReady(client: object): boolean {
  const { isReady, status } = client as { isReady?: unknown; status?: unknown };
  if (typeof isReady === 'boolean') return isReady;
  if (typeof status === 'string') return status === 'ready';
  return true;
}

function toBuffer(message: Uint8Array | string): Buffer | string {
  if (typeof message === 'string' || Buffer.isBuffer(message)) return message;
  return Buffer.from(message.buffer, message.byteOffset, message.byteLength);
}

function parseNumSub(reply: unknown): number {
  // [channel, count] in RESP2; a map { channel: count } in RESP3 (node-redis v5 with RESP3).
  const count: unknown = Array.isArray(reply)
    ? reply[1]
    : typeof reply === 'object' && reply !== null
      ? Object.values(reply)[0]
      : undefined;
  const parsed = Number.parseInt(String(count), 10);
  return Number.isNaN(parsed) ? 0 : parsed;
}

type Call = (...args: unknown[]) => unknown;

/** Wraps the user's clients, after checking both are of one supported kind. */
export function createPubSub(pubClient: RedisClient, subClient: RedisClient): PubSub {
  if (isNodeRedis(pubClient) && isNodeRedis(subClient)) return nodeRedisPubSub(pubClient, subClient);
  if (isIoRedis(pubClient) && isIoRedis(subClient)) return ioRedisPubSub(pubClient, subClient);
  throw new AdapterError(
    AdapterErrorCode.UNSUPPORTED_CLIENT,
    'pubClient and subClient must both be node-redis clients (createClient() from "redis" v4 or v5) or both ioredis clients (new Redis())',
  );
}

function errorHooks(pub: { on: AnyMethod; off: AnyMethod }, sub: { on: AnyMethod; off: AnyMethod }) {
  return (listener: (err: unknown) => void): (() => void) => {
    for (const client of [pub, sub]) (client.on as Call).call(client, 'error', listener);
    return () => {
      for (const client of [pub, sub]) (client.off as Call).call(client, 'error', listener);
    };
  };
}

function nodeRedisPubSub(pub: NodeRedisClient, sub: NodeRedisClient): PubSub {
  const RETURN_BUFFERS = true;
  let subscribed: { pattern: string; channels: string[]; onPattern: Call; onChannel: Call } | undefined;
  return {
    kind: 'node-redis',
    get ready() {
      return isClientReady(pub);
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- async: a synchronous throw becomes a rejection
    publish: async (channel, message) => (pub.publish as Call).call(pub, channel, toBuffer(message)),
    countSubscribers: async (channel) =>
      parseNumSub(await (pub.sendCommand as Call).call(pub, ['PUBSUB', 'NUMSUB', channel])),
    async subscribe(pattern, channels, onPattern, onChannel) {
      // node-redis calls listeners with (message, channel) and resubscribes them by itself after a reconnection.
      const patternListener = (message: Buffer, channel: Buffer): void => onPattern(channel.toString(), message);
      const channelListener = (message: Buffer, channel: Buffer): void => onChannel(channel.toString(), message);
      subscribed = { pattern, channels, onPattern: patternListener as Call, onChannel: channelListener as Call };
      await Promise.all([
        (sub.pSubscribe as Call).call(sub, pattern, patternListener, RETURN_BUFFERS),
        (sub.subscribe as Call).call(sub, channels, channelListener, RETURN_BUFFERS),
      ]);
    },
    async unsubscribe() {
      if (subscribed === undefined) return;
      const { pattern, channels, onPattern, onChannel } = subscribed;
      subscribed = undefined;
      // One channel per call: node-redis v4 mishandles several channels with a listener in one UNSUBSCRIBE.
      await Promise.all([
        (sub.pUnsubscribe as Call).call(sub, pattern, onPattern, RETURN_BUFFERS),
        ...channels.map((channel) => (sub.unsubscribe as Call).call(sub, channel, onChannel, RETURN_BUFFERS)),
      ]);
    },
    onError: errorHooks(pub, sub),
  };
}

function ioRedisPubSub(pub: IoRedisClient, sub: IoRedisClient): PubSub {
  let subscribed: { pattern: string; channels: string[]; onPattern: Call; onChannel: Call } | undefined;
  return {
    kind: 'ioredis',
    get ready() {
      return isClientReady(pub);
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- async: a synchronous throw becomes a rejection
    publish: async (channel, message) => (pub.publish as Call).call(pub, channel, toBuffer(message)),
    countSubscribers: async (channel) => parseNumSub(await (pub.call as Call).call(pub, 'PUBSUB', 'NUMSUB', channel)),
    async subscribe(pattern, channels, onPattern, onChannel) {
      // ioredis delivers every subscription of the client to every listener: each adapter filters by channel.
      const patternListener = (matched: Buffer | string, channel: Buffer, message: Buffer): void => {
        if (String(matched) === pattern) onPattern(channel.toString(), message);
      };
      const wanted = new Set(channels);
      const channelListener = (channel: Buffer, message: Buffer): void => {
        const name = channel.toString();
        if (wanted.has(name)) onChannel(name, message);
      };
      subscribed = { pattern, channels, onPattern: patternListener as Call, onChannel: channelListener as Call };
      (sub.on as Call).call(sub, 'pmessageBuffer', patternListener);
      (sub.on as Call).call(sub, 'messageBuffer', channelListener);
      await Promise.all([(sub.psubscribe as Call).call(sub, pattern), (sub.subscribe as Call).call(sub, ...channels)]);
    },
    async unsubscribe() {
      if (subscribed === undefined) return;
      const { pattern, channels, onPattern, onChannel } = subscribed;
      subscribed = undefined;
      (sub.off as Call).call(sub, 'pmessageBuffer', onPattern);
      (sub.off as Call).call(sub, 'messageBuffer', onChannel);
      await Promise.all([
        (sub.punsubscribe as Call).call(sub, pattern),
        (sub.unsubscribe as Call).call(sub, ...channels),
      ]);
    },
    onError: errorHooks(pub, sub),
  };
}
