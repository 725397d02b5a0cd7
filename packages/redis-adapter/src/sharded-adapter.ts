// The Redis sharded pub/sub adapter (Redis >= 7: SPUBLISH/SSUBSCRIBE), wire-compatible with the official
// createShardedAdapter of @socket.io/redis-adapter 8.3: same channels, same messages, so both can share a cluster.
import createDebug from 'debug';
import {
  AdapterError,
  AdapterErrorCode,
  ClusterAdapter,
  encodeClusterMessage,
  decodeClusterMessage,
  hasBinary,
  MessageType,
  type ClusterMessage,
} from '@switchboard/adapter';
import type { AdapterConstructor, AdapterNamespace, Room } from '@switchboard/server';
import {
  assertShardedClient,
  sPublish,
  sSubscribe,
  sUnsubscribe,
  shardNumSub,
  type ShardedRedisClient,
} from './sharded-redis-client.js';
import { isClientReady } from './classic-redis-client.js';

const debug = createDebug('switchboard:redis-adapter:sharded');

/** Which channels the servers subscribe to. */
export type SubscriptionMode = 'static' | 'dynamic' | 'dynamic-private';

const SUBSCRIPTION_MODES: readonly SubscriptionMode[] = ['static', 'dynamic', 'dynamic-private'];

/** Options of `createShardedAdapter`. */
export interface ShardedRedisAdapterOptions {
  /** The prefix of every channel: `${channelPrefix}#${namespace}#`. @default 'socket.io' */
  channelPrefix?: string;
  /**
   * `static`: one channel per namespace (plus one per server for responses). `dynamic`: also one channel per
   * public room, so a server hears only broadcasts to rooms it has members in. `dynamic-private`: one channel per
   * room, private (socket id) rooms included. @default 'dynamic'
   */
  subscriptionMode?: SubscriptionMode;
  /** Milliseconds to wait for the other servers' answers. @default 5000 */
  requestsTimeout?: number;
  /** See the classic adapter's option of that name. @default true */
  deliverAfterPublish?: boolean;
  /** See the classic adapter's option of that name. @default 3 */
  localBatchMs?: number;
}

/** A socket id, as socket.io decides it for channel choice: the official adapter tests the length only. */
function looksLikeASocketId(room: Room): boolean {
  return room.length === 20;
}

/** The message types that may carry user data, hence binary (the official adapter sends JSON otherwise). */
const MAY_CONTAIN_BINARY = new Set<number>([
  MessageType.BROADCAST,
  MessageType.BROADCAST_ACK,
  MessageType.FETCH_SOCKETS_RESPONSE,
  MessageType.SERVER_SIDE_EMIT,
  MessageType.SERVER_SIDE_EMIT_RESPONSE,
]);

/** As the official adapter encodes: JSON unless the payload holds binary, then msgpack. Same bytes, same readers. */
function encode(message: ClusterMessage): Buffer | string {
  const data = (message as { data?: unknown }).data;
  return MAY_CONTAIN_BINARY.has(message.type) && hasBinary(data)
    ? encodeClusterMessage(message)
    : JSON.stringify(message);
}

/** A namespace's adapter over Redis sharded pub/sub. */
class ShardedRedisAdapter extends ClusterAdapter {
  readonly #pubClient: ShardedRedisClient;
  readonly #subClient: ShardedRedisClient;
  readonly #mode: SubscriptionMode;
  readonly #channel: string;
  readonly #responseChannel: string;
  readonly #handler = (message: Buffer, channel: string): void => this.#onRawMessage(message, channel);

  constructor(
    nsp: AdapterNamespace,
    pubClient: ShardedRedisClient,
    subClient: ShardedRedisClient,
    opts: ShardedRedisAdapterOptions,
  ) {
    // No heartbeats: Redis counts the servers (PUBSUB SHARDNUMSUB), as in the official adapter, which sends none.
    super(nsp, {
      heartbeatInterval: 0,
      ...(opts.requestsTimeout === undefined ? {} : { requestsTimeout: opts.requestsTimeout }),
      deliverAfterPublish: opts.deliverAfterPublish ?? true,
      ...(opts.localBatchMs === undefined ? {} : { localBatchMs: opts.localBatchMs }),
    });
    this.#pubClient = pubClient;
    this.#subClient = subClient;
    this.#mode = opts.subscriptionMode ?? 'dynamic';
    const prefix = opts.channelPrefix ?? 'socket.io';
    this.#channel = `${prefix}#${nsp.name}#`;
    this.#responseChannel = `${this.#channel}${this.uid}#`;
    sSubscribe(subClient, this.#channel, this.#handler);
    sSubscribe(subClient, this.#responseChannel, this.#handler);
    if (this.#mode !== 'static') {
      this.on('create-room', (room: Room) => {
        if (this.#hasOwnChannel(room)) sSubscribe(this.#subClient, this.#roomChannel(room), this.#handler);
      });
      this.on('delete-room', (room: Room) => {
        if (this.#hasOwnChannel(room)) void sUnsubscribe(this.#subClient, this.#roomChannel(room));
      });
    }
  }

  #roomChannel(room: Room): string {
    return `${this.#channel}${room}#`;
  }

  /** Whether broadcasts to `room` travel on a channel of its own, given the subscription mode. */
  #hasOwnChannel(room: Room): boolean {
    if (this.#mode === 'dynamic-private') return true;
    return this.#mode === 'dynamic' && !this.sids.has(room);
  }

  // While the client is reconnecting, an SPUBLISH waits in its offline queue: local clients are served at once.
  protected override canDeliverAfterPublish(): boolean {
    return isClientReady(this.#pubClient);
  }

  protected publish(message: ClusterMessage): Promise<void> {
    const channel = this.#channelOf(message);
    debug('publishing a message of type %d to %s', message.type, channel);
    return sPublish(this.#pubClient, channel, encode(message));
  }

  protected override publishResponse(requesterUid: string, message: ClusterMessage): Promise<void> {
    return sPublish(this.#pubClient, `${this.#channel}${requesterUid}#`, encode(message));
  }

  #channelOf(message: ClusterMessage): string {
    // A broadcast with acks stays on the namespace channel: serverCount() counts its subscribers, and every one
    // of them must answer with its client count.
    if (message.type !== MessageType.BROADCAST || message.data.requestId !== undefined) return this.#channel;
    const rooms = message.data.opts.rooms;
    const room = rooms[0];
    if (rooms.length !== 1 || room === undefined) return this.#channel;
    const ownChannel = this.#mode === 'dynamic-private' || (this.#mode === 'dynamic' && !looksLikeASocketId(room));
    return ownChannel ? this.#roomChannel(room) : this.#channel;
  }

  #onRawMessage(raw: Buffer, channel: string): void {
    const message = decodeClusterMessage(raw);
    if (message === undefined) return; // logged by the codec
    debug('received a message on %s', channel);
    this.onMessage(message);
  }

  override serverCount(): Promise<number> {
    return shardNumSub(this.#pubClient, this.#channel);
  }

  override async close(): Promise<void> {
    await super.close();
    const channels = [this.#channel, this.#responseChannel];
    if (this.#mode !== 'static') {
      for (const room of this.rooms.keys()) if (this.#hasOwnChannel(room)) channels.push(this.#roomChannel(room));
      // Own-id rooms are implicit (not in `rooms`): in dynamic-private mode each has a channel too.
      if (this.#mode === 'dynamic-private') for (const id of this.sids.keys()) channels.push(this.#roomChannel(id));
    }
    await Promise.all(channels.map((channel) => sUnsubscribe(this.#subClient, channel)));
  }
}

/**
 * Creates the adapter class for Redis sharded pub/sub (Redis >= 7.0), to pass as the server's `adapter` option.
 * The user brings two connected clients (node-redis v4 or ioredis): one publishes, one subscribes. Listen to their
 * `error` event: the clients reconnect and resubscribe on their own, and the adapter carries on.
 *
 * @example
 * const pubClient = createClient({ url: 'redis://localhost:6379' });
 * const subClient = pubClient.duplicate();
 * await Promise.all([pubClient.connect(), subClient.connect()]);
 * const io = new Server({ adapter: createShardedAdapter(pubClient, subClient) });
 */
export function createShardedAdapter(
  pubClient: ShardedRedisClient,
  subClient: ShardedRedisClient,
  opts: ShardedRedisAdapterOptions = {},
): AdapterConstructor {
  assertShardedClient('pubClient', pubClient);
  assertShardedClient('subClient', subClient);
  if (opts.subscriptionMode !== undefined && !SUBSCRIPTION_MODES.includes(opts.subscriptionMode)) {
    throw new AdapterError(
      AdapterErrorCode.INVALID_OPTION,
      `subscriptionMode must be one of ${SUBSCRIPTION_MODES.join(', ')}, got ${String(opts.subscriptionMode)}`,
    );
  }
  if (opts.channelPrefix !== undefined && (typeof opts.channelPrefix !== 'string' || opts.channelPrefix === '')) {
    throw new AdapterError(
      AdapterErrorCode.INVALID_OPTION,
      `channelPrefix must be a non-empty string, got ${String(opts.channelPrefix)}`,
    );
  }
  return class extends ShardedRedisAdapter {
    constructor(nsp: AdapterNamespace) {
      super(nsp, pubClient, subClient, opts);
    }
  };
}
