// The Redis streams adapter, wire-compatible with @socket.io/redis-streams-adapter 0.3: broadcasts and room changes
// go through a stream (one, or one per namespace among `streamCount`; XADD ... MAXLEN ~ maxLen, the entry id being
// the recovery offset), requests and answers through pub/sub (classic or sharded); sessions are kept in Redis, so a
// client recovers on any server, even after every one restarted.
import createDebug from 'debug';
import {
  AdapterError,
  AdapterErrorCode,
  ClusterAdapter,
  decodeClusterMessage,
  encodeClusterMessage,
  localBatchMsOption,
  MessageType,
  parseClusterMessage,
  type ClusterMessage,
} from '@switchboard/adapter';
import { PacketType } from '@switchboard/protocol';
import type {
  AdapterConstructor,
  AdapterNamespace,
  PrivateSessionId,
  Room,
  Session,
  SessionToPersist,
  SocketId,
} from '@switchboard/server';
import {
  assertRedisClient,
  assertShardedPubSub,
  wrapClient,
  type Connection,
  type RedisClient,
} from './redis-client.js';
import { LiveSessions, SessionStore } from './session-store.js';
import {
  compareIds,
  decodeEntry,
  encodeEntry,
  isStreamId,
  nextId,
  parseRange,
  type StreamEntry,
} from './stream-entry.js';
import { StreamReader, type StreamReaderStats } from './stream-reader.js';
import { streamNameOf } from './stream-routing.js';

const debug = createDebug('switchboard:redis-streams-adapter');

/** How long a session restore waits for the reader to reach the stream's end before it reads what it has. */
const CATCH_UP_TIMEOUT_MS = 2000;

/** Options of `createAdapter`. */
export interface RedisStreamsAdapterOptions {
  /** The stream every server writes to and reads, or the prefix of the streams when `streamCount` > 1. @default 'socket.io' */
  streamName?: string;
  /**
   * How many streams to spread the namespaces over (`${streamName}-${i}`); a namespace always uses the same one, so its
   * broadcasts stay in order. Only worth it with several busy namespaces. @default 1
   */
  streamCount?: number;
  /** The prefix of the pub/sub channels (requests and answers): `${channelPrefix}#${namespace}#`. @default 'socket.io' */
  channelPrefix?: string;
  /**
   * Send requests and answers with sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis >= 7.0) and count servers with
   * PUBSUB SHARDNUMSUB, so a Redis Cluster spreads them over its shards. @default false
   */
  useShardedPubSub?: boolean;
  /** Entries kept in the stream (approximately: XADD MAXLEN ~); older ones cannot be replayed. @default 10000 */
  maxLen?: number;
  /** Entries read per XREAD. @default 100 */
  readCount?: number;
  /** Milliseconds an XREAD waits for new entries before it is sent again. @default 5000 */
  blockTimeInMs?: number;
  /** The prefix of session keys. @default 'sio:session:' */
  sessionKeyPrefix?: string;
  /**
   * Keep the sessions of connected sockets in Redis too (recovery on), so their clients recover on another server
   * when theirs dies without disconnecting them (SIGKILL, crash). Costs one SET per room change and per socket every
   * maxDisconnectionDuration / 2. @default true
   */
  persistConnectedSessions?: boolean;
  /** Milliseconds to wait for the other servers' answers (fetchSockets, serverSideEmit with ack). @default 5000 */
  requestsTimeout?: number;
  /**
   * Promise that broadcasts carry no binary: stream entries are then always JSON, without searching each message for
   * Buffers first. A Buffer sent anyway arrives as JSON makes it, `{ type: 'Buffer', data: [...] }`. @default false
   */
  onlyPlaintext?: boolean;
  /**
   * Whether this server's clients get a broadcast only once XADD stored it, as the official adapter does. With
   * recovery on they always wait (the offset comes from XADD). false delivers locally at once: one Redis round trip
   * less for them, at the price of slower one-per-turn broadcasting (bench/NOTES.md). @default true
   */
  deliverAfterPublish?: boolean;
  /**
   * With `deliverAfterPublish`: milliseconds this server's clients may wait, beyond XADD's answer, for the broadcasts
   * emitted after it that are still being stored, so that a steady stream reaches each client a few broadcasts per
   * write (see the Redis adapter's option of that name). 0 delivers each as soon as it is stored. @default 3
   */
  localBatchMs?: number;
}

/** Counters of the reader of a namespace's stream (shared by the namespaces of one `createAdapter` call on it). */
export type RedisStreamsAdapterStats = Readonly<StreamReaderStats>;

type ResolvedOptions = Required<Omit<RedisStreamsAdapterOptions, 'requestsTimeout'>> & {
  requestsTimeout: number | undefined;
};

/** Room and except filtering of a stored broadcast, for a session's rooms. */
function isAddressedTo(rooms: Set<Room>, target: { rooms: Room[]; except: Room[] }): boolean {
  const included = target.rooms.length === 0 || target.rooms.some((room) => rooms.has(room));
  return included && !target.except.some((room) => rooms.has(room));
}

/**
 * What the namespaces of one `createAdapter` call share: the publishing client, the subscriber, and one reader per
 * stream a namespace uses (each on a connection of its own, so a busy stream never delays another's XREAD).
 */
class SharedConnections {
  readonly redis: Connection;
  readonly opts: ResolvedOptions;
  readonly adapters = new Map<string, RedisStreamsAdapter>();
  readonly readers = new Map<string, StreamReader>();
  readonly subscriber: Promise<Connection>;
  readonly sessions: SessionStore;

  readonly #onClosed: () => void;

  constructor(redis: Connection, opts: ResolvedOptions, onClosed: () => void) {
    this.redis = redis;
    this.opts = opts;
    this.#onClosed = onClosed;
    this.sessions = new SessionStore(redis, opts.sessionKeyPrefix);
    this.subscriber = redis.duplicate();
    // The failure is the subscriber's users' to see (requests time out); here it must not go unhandled.
    this.subscriber.catch((err: unknown) => debug('could not open the subscriber connection: %o', err));
  }

  /** The reader of `streamName`, started by the first namespace routed to it. */
  readerOf(streamName: string): StreamReader {
    let reader = this.readers.get(streamName);
    if (reader === undefined) {
      reader = new StreamReader(this.redis, { ...this.opts, streamName }, (entry) => this.#onEntry(streamName, entry));
      this.readers.set(streamName, reader);
      reader.start();
    }
    return reader;
  }

  #onEntry(streamName: string, entry: StreamEntry): boolean {
    const message = decodeEntry(entry.fields) as { nsp?: unknown };
    if (typeof message.nsp !== 'string') return false;
    const adapter = this.adapters.get(message.nsp);
    // An entry on another namespace's stream comes from a server with another streamCount (a misconfiguration): its
    // offset is not one this namespace's restores could replay from, so it is left alone.
    if (adapter === undefined || adapter.streamName !== streamName) return true;
    return adapter.onStreamMessage(message, entry.id);
  }

  /** A namespace's adapter closed: the last one to go closes the readers and the subscriber. */
  detach(adapter: RedisStreamsAdapter): void {
    if (this.adapters.get(adapter.nsp.name) === adapter) this.adapters.delete(adapter.nsp.name);
    if (this.adapters.size > 0) return;
    for (const reader of this.readers.values()) reader.stop();
    this.readers.clear();
    this.subscriber.then(
      (connection) => connection.destroy(),
      () => {},
    );
    this.#onClosed();
  }
}

/** A namespace's adapter over Redis streams (see `createAdapter`). */
export class RedisStreamsAdapter extends ClusterAdapter {
  readonly #shared: SharedConnections;
  readonly #publicChannel: string;
  readonly #live: LiveSessions | undefined;
  readonly #reader: StreamReader;
  /** @internal The stream this namespace's broadcasts go to (see `streamCount`). */
  readonly streamName: string;

  constructor(nsp: AdapterNamespace, shared: SharedConnections) {
    // No heartbeats: Redis counts the servers (PUBSUB NUMSUB), as the official adapter does; it sends none either.
    const { requestsTimeout, localBatchMs } = shared.opts;
    super(nsp, {
      heartbeatInterval: 0,
      ...(requestsTimeout === undefined ? {} : { requestsTimeout }),
      localBatchMs,
    });
    // By default as the official adapter does: this server's clients get a broadcast once XADD stored it. Emitting
    // turns stay cheap, so entries reach Redis together and the readers (here and elsewhere) find them in batches; a
    // burst then leaves in one write per client (bench/NOTES.md, "Redis Streams").
    this.deliverAfterPublish = shared.opts.deliverAfterPublish;
    this.#shared = shared;
    this.streamName = streamNameOf(nsp.name, shared.opts.streamName, shared.opts.streamCount);
    this.#reader = shared.readerOf(this.streamName);
    this.#publicChannel = `${shared.opts.channelPrefix}#${nsp.name}#`;
    const privateChannel = `${this.#publicChannel}${this.uid}#`;
    const recovery = nsp.recovery;
    this.#live =
      recovery !== undefined && shared.opts.persistConnectedSessions
        ? new LiveSessions(nsp, shared.sessions, recovery.maxDisconnectionDuration)
        : undefined;
    shared.subscriber
      .then((subscriber) =>
        subscriber.subscribe(
          [this.#publicChannel, privateChannel],
          (_channel, payload) => {
            const message = decodeClusterMessage(payload);
            if (message !== undefined) this.onMessage(message);
          },
          shared.opts.useShardedPubSub,
        ),
      )
      .catch((err: unknown) => debug('subscribing to %s failed: %o', this.#publicChannel, err));
  }

  /** The reader's counters: entries skipped (bad entries), failed reads. */
  get stats(): RedisStreamsAdapterStats {
    return this.#reader.stats;
  }

  /** @internal An entry of the stream for this namespace; false when it could not be handled. */
  onStreamMessage(message: unknown, offset: string): boolean {
    return this.onMessage(message, offset);
  }

  // --- publishing -----------------------------------------------------------------------------------------------

  /** Requests, broadcasts with acks and server-side emits are not worth storing: they travel on pub/sub. */
  #isEphemeral(message: ClusterMessage): boolean {
    if (message.type === MessageType.BROADCAST) return message.data.requestId !== undefined;
    return message.type === MessageType.SERVER_SIDE_EMIT || message.type === MessageType.FETCH_SOCKETS;
  }

  // While the client is reconnecting, an XADD waits in its offline queue: local clients are served at once.
  protected override canDeliverAfterPublish(): boolean {
    return this.#shared.redis.ready;
  }

  protected publish(message: ClusterMessage): Promise<void> {
    if (this.#isEphemeral(message)) return this.#publishOn(this.#publicChannel, message);
    return this.#xadd(message).then(() => {});
  }

  protected override publishAndReturnOffset(message: ClusterMessage): Promise<string> {
    return this.#xadd(message);
  }

  protected override publishResponse(requesterUid: string, message: ClusterMessage): Promise<void> {
    return this.#publishOn(`${this.#publicChannel}${requesterUid}#`, message);
  }

  async #publishOn(channel: string, message: ClusterMessage): Promise<void> {
    await this.#shared.redis.command([
      this.#shared.opts.useShardedPubSub ? 'SPUBLISH' : 'PUBLISH',
      channel,
      encodeClusterMessage(message),
    ]);
  }

  async #xadd(message: ClusterMessage): Promise<string> {
    const { maxLen, onlyPlaintext } = this.#shared.opts;
    const fields = encodeEntry(message, onlyPlaintext);
    const id = await this.#shared.redis.command([
      'XADD',
      this.streamName,
      'MAXLEN',
      '~',
      String(maxLen),
      '*',
      ...fields,
    ]);
    return String(id);
  }

  override async serverCount(): Promise<number> {
    // On a Redis Cluster, SHARDNUMSUB is answered by the shard owning the channel's slot: the one that counts.
    const numSub = this.#shared.opts.useShardedPubSub ? 'SHARDNUMSUB' : 'NUMSUB';
    const reply = await this.#shared.redis.command(['PUBSUB', numSub, this.#publicChannel]);
    const count = Array.isArray(reply) ? Number(reply[1]) : Number.NaN;
    return Number.isSafeInteger(count) && count > 0 ? count : 1;
  }

  // --- sessions -------------------------------------------------------------------------------------------------

  override addAll(id: SocketId, rooms: Set<Room>): Promise<void> | void {
    const result = super.addAll(id, rooms);
    this.#live?.touch(id);
    return result;
  }

  override del(id: SocketId, room: Room): Promise<void> | void {
    const result = super.del(id, room);
    this.#live?.touch(id);
    return result;
  }

  override delAll(id: SocketId): void {
    super.delAll(id);
    // persistSession (a recoverable disconnection) untracked it first: reaching here tracked means it left for good.
    this.#live?.forget(id);
  }

  override persistSession(session: SessionToPersist): Promise<void> {
    this.#live?.untrack(session.sid);
    const ttl = this.nsp.recovery?.maxDisconnectionDuration ?? 120_000;
    return this.#shared.sessions.save(session, ttl);
  }

  /**
   * The session `pid` saved (on any server) plus the broadcasts for its rooms stored after `offset`, or null when
   * the session expired or the offset is no longer in the stream (then nothing proves no packet was lost).
   */
  override async restoreSession(pid: PrivateSessionId, offset: string): Promise<Session | null> {
    if (!isStreamId(offset)) return null;
    const reader = this.#reader;
    const { streamName } = this;
    await reader.ready;
    // Let the reader catch up with the stream's end first: this server's own broadcasts are delivered when stored,
    // not when read back, so an offset behind them would lose them and one ahead of the reader would double others.
    const last = parseRange(await this.#shared.redis.command(['XREVRANGE', streamName, '+', '-', 'COUNT', '1']))[0];
    if (last !== undefined) await reader.reached(last.id, CATCH_UP_TIMEOUT_MS);
    // Entries after `upTo` are handed to local sockets by the reader once the restored socket has joined.
    reader.hold();
    try {
      const upTo = reader.offset ?? offset;
      const [session, atOffset] = await Promise.all([
        this.#shared.sessions.take(pid),
        this.#shared.redis.command(['XRANGE', streamName, offset, offset]).then(parseRange),
      ]);
      if (session === undefined || atOffset.length === 0) return null;
      const missedPackets =
        compareIds(offset, upTo) < 0 ? await this.#readMissed(new Set(session.rooms), offset, upTo) : [];
      debug('restored session %s with %d missed packets', session.sid, missedPackets.length);
      return { ...session, missedPackets };
    } finally {
      reader.release();
    }
  }

  async #readMissed(rooms: Set<Room>, offset: string, upTo: string): Promise<unknown[][]> {
    const { streamName } = this;
    const { maxLen } = this.#shared.opts;
    const pageSize = 100;
    const missed: unknown[][] = [];
    let from = nextId(offset);
    // Bounded: the stream holds about maxLen entries, so more pages than that would mean it is being rewritten.
    for (let page = 0; page <= Math.ceil((maxLen * 2) / pageSize); page++) {
      const entries = parseRange(
        await this.#shared.redis.command(['XRANGE', streamName, from, upTo, 'COUNT', String(pageSize)]),
      );
      for (const entry of entries) {
        const data = this.#replayable(entry, rooms);
        if (data !== undefined) missed.push([...data, entry.id]);
      }
      const last = entries[entries.length - 1];
      if (last === undefined || entries.length < pageSize || last.id === upTo) break;
      from = nextId(last.id);
    }
    return missed;
  }

  /** The arguments of a stored broadcast for `rooms` in this namespace, or undefined. */
  #replayable(entry: StreamEntry, rooms: Set<Room>): unknown[] | undefined {
    if (entry.fields['nsp'] !== this.nsp.name || entry.fields['type'] !== String(MessageType.BROADCAST))
      return undefined;
    let message: ClusterMessage | undefined;
    try {
      message = parseClusterMessage(decodeEntry(entry.fields));
    } catch (err) {
      this.#reader.skip(entry.id, err);
      return undefined;
    }
    if (message?.type !== MessageType.BROADCAST) {
      this.#reader.skip(entry.id, new Error('not a well-formed broadcast'));
      return undefined;
    }
    const { packet, opts, requestId } = message.data;
    const isEvent = packet.type === PacketType.EVENT || packet.type === PacketType.BINARY_EVENT;
    if (requestId !== undefined || !isEvent || packet.id !== undefined || opts.flags?.volatile === true)
      return undefined;
    if (!Array.isArray(packet.data) || !isAddressedTo(rooms, opts)) return undefined;
    return packet.data as unknown[];
  }

  override async close(): Promise<void> {
    await super.close();
    this.#live?.close();
    this.#shared.detach(this);
  }
}

function checkPositiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) {
    throw new AdapterError(AdapterErrorCode.INVALID_OPTION, `${name} must be a positive integer, got ${String(value)}`);
  }
}

function checkBoolean(name: string, value: boolean | undefined): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new AdapterError(AdapterErrorCode.INVALID_OPTION, `${name} must be a boolean, got ${String(value)}`);
  }
}

function checkName(name: string, value: string | undefined): void {
  if (value !== undefined && (typeof value !== 'string' || value === '')) {
    throw new AdapterError(AdapterErrorCode.INVALID_OPTION, `${name} must be a non-empty string, got ${String(value)}`);
  }
}

/**
 * Creates the adapter class for Redis streams, to pass as the server's `adapter` option. The user brings one
 * connected client (node-redis v4/v5 or ioredis); the adapter opens more from it (`duplicate()`): one subscribes,
 * and one per stream in use blocks on XREAD. Needs Redis >= 6.2 (GETDEL), >= 7.0 with `useShardedPubSub`.
 *
 * @example
 * const redisClient = createClient({ url: 'redis://localhost:6379' });
 * await redisClient.connect();
 * const io = new Server({
 *   adapter: createAdapter(redisClient),
 *   connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000 },
 * });
 */
export function createAdapter(redisClient: RedisClient, opts: RedisStreamsAdapterOptions = {}): AdapterConstructor {
  assertRedisClient(redisClient);
  checkName('streamName', opts.streamName);
  checkName('channelPrefix', opts.channelPrefix);
  checkName('sessionKeyPrefix', opts.sessionKeyPrefix);
  checkPositiveInteger('maxLen', opts.maxLen);
  checkPositiveInteger('readCount', opts.readCount);
  checkPositiveInteger('blockTimeInMs', opts.blockTimeInMs);
  checkPositiveInteger('streamCount', opts.streamCount);
  checkBoolean('useShardedPubSub', opts.useShardedPubSub);
  checkBoolean('onlyPlaintext', opts.onlyPlaintext);
  checkBoolean('persistConnectedSessions', opts.persistConnectedSessions);
  checkBoolean('deliverAfterPublish', opts.deliverAfterPublish);
  if (opts.useShardedPubSub === true) assertShardedPubSub(redisClient);
  const resolved: ResolvedOptions = {
    streamName: opts.streamName ?? 'socket.io',
    streamCount: opts.streamCount ?? 1,
    channelPrefix: opts.channelPrefix ?? 'socket.io',
    useShardedPubSub: opts.useShardedPubSub ?? false,
    onlyPlaintext: opts.onlyPlaintext ?? false,
    maxLen: opts.maxLen ?? 10_000,
    readCount: opts.readCount ?? 100,
    blockTimeInMs: opts.blockTimeInMs ?? 5000,
    sessionKeyPrefix: opts.sessionKeyPrefix ?? 'sio:session:',
    persistConnectedSessions: opts.persistConnectedSessions ?? true,
    deliverAfterPublish: opts.deliverAfterPublish ?? true,
    requestsTimeout: opts.requestsTimeout,
    localBatchMs: localBatchMsOption(opts.localBatchMs),
  };
  const redis = wrapClient(redisClient);
  // The reader and the subscriber live while a namespace uses them; a server closed and reopened gets new ones.
  let current: SharedConnections | undefined;
  const sharedConnections = (): SharedConnections => {
    const shared: SharedConnections =
      current ??
      new SharedConnections(redis, resolved, () => {
        if (current === shared) current = undefined;
      });
    current = shared;
    return shared;
  };
  return class extends RedisStreamsAdapter {
    constructor(nsp: AdapterNamespace) {
      const shared = sharedConnections();
      super(nsp, shared);
      shared.adapters.set(nsp.name, this);
    }
  };
}
