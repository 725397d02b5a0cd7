// The classic Redis adapter: broadcasts over Redis pub/sub and requests between servers, wire-compatible with
// @socket.io/redis-adapter 8.3 (`createAdapter`), so Switchboard and socket.io nodes can share one cluster.
import { randomBytes } from 'node:crypto';
import createDebug from 'debug';
import {
  InMemoryAdapter,
  type AdapterConstructor,
  type AdapterNamespace,
  type BroadcastOptions,
  type Packet,
  type Room,
  type SocketDetails,
} from '@switchboard/server';
import { AdapterError, AdapterErrorCode, LocalDeliveries, localBatchMsOption } from '@switchboard/adapter';
import { msgpackParser, type RedisParser } from './classic-parser.js';
import { createPubSub, type PubSub, type RedisClient } from './classic-redis-client.js';
import { PendingRequests } from './classic-requests.js';
import { handleRequest, type RequestContext } from './classic-request-handler.js';
import {
  broadcastChannel,
  channelsOf,
  decodeBroadcast,
  decodeMessage,
  patternFor,
  RequestType,
  type Channels,
  type WireMessage,
} from './classic-wire.js';
import { readRemoteSockets } from './classic-remote-sockets.js';

const debug = createDebug('switchboard:redis-adapter');

/** Options of `createAdapter`. */
export interface RedisAdapterOptions {
  /** Prefix of every channel name. @default 'socket.io' */
  key?: string;
  /** Milliseconds to wait for the other servers' answers (fetchSockets, serverSideEmit with an ack). @default 5000 */
  requestsTimeout?: number;
  /** Answer each request on the requester's own channel instead of the shared response channel. @default false */
  publishOnSpecificResponseChannel?: boolean;
  /** Codec of the binary messages; must match the other nodes'. @default msgpack (as notepack.io writes it) */
  parser?: RedisParser;
  /**
   * Whether this server's clients get a broadcast once Redis answered its PUBLISH, instead of at once. Costs them one
   * round trip to Redis; in exchange an emitting turn is cheap, so broadcasts sent one per turn reach Redis, the
   * other servers and the local clients in batches (bench/NOTES.md). The recipients are taken at emit time and
   * what is written to them afterwards waits behind it, so clients see the order the server emitted in either way.
   * A failed PUBLISH still delivers locally; while the client reconnects, or for a PUBLISH unanswered after 1 s,
   * they are served without waiting. false delivers at once, as `@socket.io/redis-adapter` does. @default true
   */
  deliverAfterPublish?: boolean;
  /**
   * With `deliverAfterPublish`: milliseconds this server's clients may wait, beyond Redis' answer to a broadcast's
   * PUBLISH, for the broadcasts emitted after it whose PUBLISHes are still in flight, so that a steady stream reaches
   * each client a few broadcasts per write instead of one write per broadcast (bench/NOTES.md). Nothing waits when no
   * other PUBLISH is in flight; 0 delivers each as soon as Redis answered. @default 3
   */
  localBatchMs?: number;
}

interface AckRequest {
  clientCountCallback: (clientCount: number) => void;
  ack: (...args: unknown[]) => void;
  timer: NodeJS.Timeout;
}

type ServerSideAck = (err: Error | null, responses: unknown[]) => void;

/** Random ids: node uids and request ids never contain the `#` that ends channel names. */
function randomId(): string {
  return randomBytes(6).toString('hex');
}

/** One namespace's adapter on one server, made by the class `createAdapter` returns (not constructed directly). */
export class RedisAdapter extends InMemoryAdapter {
  /** This node's id in every message it sends. */
  readonly uid = randomId();
  readonly requestsTimeout: number;
  readonly #pubsub: PubSub;
  readonly #parser: RedisParser;
  readonly #channels: Channels;
  readonly #publishOnSpecificResponseChannel: boolean;
  readonly #requests = new PendingRequests();
  readonly #ackRequests = new Map<string, AckRequest>();
  #removeErrorListener: (() => void) | undefined;
  #subscribed: Promise<void> | undefined;
  readonly #requestContext: RequestContext;
  readonly #deliverAfterPublish: boolean;
  readonly #local: LocalDeliveries;

  constructor(nsp: AdapterNamespace, pubsub: PubSub, opts: Required<RedisAdapterOptions>) {
    super(nsp);
    this.#pubsub = pubsub;
    this.#parser = opts.parser;
    this.requestsTimeout = opts.requestsTimeout;
    this.#publishOnSpecificResponseChannel = opts.publishOnSpecificResponseChannel;
    this.#deliverAfterPublish = opts.deliverAfterPublish;
    this.#local = new LocalDeliveries(
      (packet, broadcastOpts) => {
        super.broadcast(packet, broadcastOpts);
      },
      { hold: (packet, broadcastOpts) => this.holdBroadcast(packet, broadcastOpts), batchMs: opts.localBatchMs },
    );
    this.#channels = channelsOf(opts.key, nsp.name, this.uid);
    this.#requestContext = {
      nsp,
      uid: this.uid,
      parser: this.#parser,
      rooms: this.rooms,
      sids: this.sids,
      isOwnRequest: (requestId) => this.#requests.has(requestId) || this.#ackRequests.has(requestId),
      respond: (request, response) => this.#respond(request, response),
      respondToServerSideEmit: (response) => this.#publish(this.#channels.response, JSON.stringify(response)),
      // The in-memory operations: carrying out a request must not publish it again.
      local: {
        sockets: (rooms) => super.sockets(rooms),
        fetchSockets: (targets) => super.fetchSockets(targets),
        addSockets: (targets, rooms) => super.addSockets(targets, rooms),
        delSockets: (targets, rooms) => super.delSockets(targets, rooms),
        disconnectSockets: (targets, close) => super.disconnectSockets(targets, close),
        broadcastWithAck: (packet, targets, count, ack) => super.broadcastWithAck(packet, targets, count, ack),
      },
    };
  }

  /**
   * Subscribes to the namespace's channels; resolves once Redis confirmed. The server calls it without waiting; a
   * caller that must not miss anything (a request right at startup) may await it: later calls return the same promise.
   */
  override init(): Promise<void> {
    this.#subscribed ??= this.#subscribe();
    return this.#subscribed;
  }

  async #subscribe(): Promise<void> {
    // Both clients report connection losses as 'error' events; unlistened, one would crash the process.
    this.#removeErrorListener = this.#pubsub.onError((err) => debug('redis client error: %o', err));
    const { broadcast, request, response, specificResponse } = this.#channels;
    await this.#pubsub.subscribe(
      patternFor(broadcast),
      [request, response, specificResponse],
      (channel, message) => this.#onBroadcast(channel, message),
      (channel, message) => this.#onRequestOrResponse(channel, message),
    );
  }

  override close(): void {
    // What still waits for a PUBLISH goes out now: a client quit at the same time may never answer it.
    this.#local.flush();
    this.#requests.closeAll();
    for (const { timer } of this.#ackRequests.values()) clearTimeout(timer);
    this.#ackRequests.clear();
    this.#removeErrorListener?.();
    // Not awaited, as socket.io's adapter does not: a server shutting down must not wait on Redis replies (a client
    // quit at the same time may never deliver them).
    this.#pubsub.unsubscribe().catch((err: unknown) => debug('unsubscribe failed: %o', err));
  }

  /** How many servers run this namespace: the subscribers of its request channel (PUBSUB NUMSUB). */
  override serverCount(): Promise<number> {
    return this.#pubsub.countSubscribers(this.#channels.request).catch((err: unknown) => {
      throw new AdapterError(AdapterErrorCode.REDIS_UNAVAILABLE, `PUBSUB NUMSUB failed: ${String(err)}`, {
        cause: err,
      });
    });
  }

  #publish(channel: string, message: Uint8Array | string): void {
    this.#pubsub.publish(channel, message).catch((err: unknown) => debug('publish to %s failed: %o', channel, err));
  }

  #encodeTargets(opts: BroadcastOptions): { rooms: Room[]; except: Room[] } {
    return { rooms: [...opts.rooms], except: [...(opts.except ?? [])] };
  }

  // --- broadcasts -------------------------------------------------------------------------------------------------

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    packet.nsp = this.nsp.name;
    if (opts.flags?.local !== true) {
      // Encoded before local delivery, whose encoder may mark the packet as binary.
      const message = this.#parser.encode([
        this.uid,
        packet,
        { ...this.#encodeTargets(opts), flags: opts.flags ?? {} },
      ]);
      const channel = broadcastChannel(this.#channels, opts.rooms);
      // While the client is reconnecting, a PUBLISH waits in its offline queue: local clients are served at once.
      if (this.#deliverAfterPublish && this.#pubsub.ready) {
        const published = this.#pubsub.publish(channel, message).then(
          () => undefined,
          (err: unknown) => debug('publish to %s failed: %o', channel, err),
        );
        this.#local.deliverAfter(published, packet, opts);
        return;
      }
      this.#publish(channel, message);
    }
    this.#local.deliver(packet, opts);
  }

  override broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: (...args: unknown[]) => void,
  ): void {
    packet.nsp = this.nsp.name;
    if (opts.flags?.local !== true) {
      const requestId = randomId();
      const flags = opts.flags ?? {};
      const request = {
        uid: this.uid,
        requestId,
        type: RequestType.BROADCAST,
        packet,
        opts: { ...this.#encodeTargets(opts), flags },
      };
      // Remote counts and acks are routed here until the broadcast's own timeout has passed.
      const timer = setTimeout(() => this.#ackRequests.delete(requestId), flags.timeout ?? this.requestsTimeout);
      timer.unref();
      this.#ackRequests.set(requestId, { clientCountCallback, ack, timer });
      this.#publish(this.#channels.request, this.#parser.encode(request));
    }
    super.broadcastWithAck(packet, opts, clientCountCallback, ack);
  }

  #onBroadcast(channel: string, bytes: Buffer): void {
    const prefix = this.#channels.broadcast;
    if (!channel.startsWith(prefix)) return;
    const room = channel.slice(prefix.length, -1);
    // A single-room broadcast for a room with no member here: skip it before decoding.
    if (room !== '' && !this.#hasLocalRoom(room)) return;
    const message = decodeBroadcast(this.#parser, bytes);
    if (typeof message === 'string') {
      debug('ignoring a malformed broadcast on %s: %s', channel, message);
      return;
    }
    if (message.uid === this.uid) return;
    if (message.packet.nsp !== this.nsp.name) return;
    const { rooms, except, flags } = message.opts;
    super.broadcast(message.packet, {
      rooms: new Set(rooms),
      except: new Set(except),
      flags: pickDeliveryFlags(flags),
    });
  }

  /** Whether `room` has a local member: a named room, or a local socket's own id. */
  #hasLocalRoom(room: Room): boolean {
    return this.rooms.has(room) || this.sids.get(room)?.has(room) === true;
  }

  // --- requests ---------------------------------------------------------------------------------------------------

  #onRequestOrResponse(channel: string, bytes: Buffer): void {
    const message = decodeMessage(this.#parser, bytes);
    if (typeof message === 'string') {
      debug('ignoring a malformed message on %s: %s', channel, message);
      return;
    }
    if (channel === this.#channels.request) {
      handleRequest(message, this.#requestContext);
    } else {
      this.#onResponse(message);
    }
  }

  #respond(request: WireMessage, response: Uint8Array | string): void {
    const channel =
      this.#publishOnSpecificResponseChannel && typeof request.uid === 'string'
        ? `${this.#channels.response}${request.uid}#`
        : this.#channels.response;
    this.#publish(channel, response);
  }

  #onResponse(message: WireMessage): void {
    const { requestId } = message;
    if (typeof requestId !== 'string') return;
    const ackRequest = this.#ackRequests.get(requestId);
    if (ackRequest !== undefined) {
      if (message.type === RequestType.BROADCAST_CLIENT_COUNT && typeof message['clientCount'] === 'number') {
        ackRequest.clientCountCallback(message['clientCount']);
      } else if (message.type === RequestType.BROADCAST_ACK) {
        ackRequest.ack(message['packet']);
      }
      return;
    }
    // Answers to other nodes' requests arrive on the shared response channel too: unknown ids are normal.
    this.#requests.respond(requestId, message);
  }

  /** Sends a request to every other server and collects one answer from each (`expected` answers in all). */
  #request<T>(
    what: string,
    request: Record<string, unknown>,
    expected: number,
    collect: (message: WireMessage) => void,
    result: () => T,
  ): Promise<T> {
    const requestId = randomId();
    return new Promise<T>((resolve, reject) => {
      let received = 0;
      this.#requests.add(
        requestId,
        {
          onResponse: (message) => {
            collect(message);
            received++;
            if (received < expected) return false;
            resolve(result());
            return true;
          },
          onTimeout: () =>
            reject(
              new AdapterError(
                AdapterErrorCode.REQUEST_TIMEOUT,
                `timeout reached while waiting for ${what} response: ${received} of ${expected} servers answered within requestsTimeout (${this.requestsTimeout} ms); a server may have stopped, or raise requestsTimeout`,
              ),
            ),
          onClose: () =>
            reject(
              new AdapterError(AdapterErrorCode.CLOSED, `the adapter was closed while waiting for ${what} responses`),
            ),
        },
        this.requestsTimeout,
      );
      this.#publish(this.#channels.request, JSON.stringify({ uid: this.uid, requestId, ...request }));
    });
  }

  override async fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]> {
    const local = await super.fetchSockets(opts);
    if (opts.flags?.local === true) return local;
    const serverCount = await this.serverCount();
    if (serverCount <= 1) return local;
    const sockets: SocketDetails[] = [...local];
    return this.#request(
      'fetchSockets',
      { type: RequestType.REMOTE_FETCH, opts: this.#encodeTargets(opts) },
      serverCount - 1,
      (message) => {
        const remote = readRemoteSockets(message['sockets']);
        if (remote === undefined) debug('ignoring malformed sockets in a fetchSockets response');
        else sockets.push(...remote);
      },
      () => sockets,
    );
  }

  /** Every room of the namespace on every server (own-id rooms included, as socket.io lists them). */
  async allRooms(): Promise<Set<Room>> {
    const rooms = new Set<Room>([...this.rooms.keys(), ...this.sids.keys()]);
    const serverCount = await this.serverCount();
    if (serverCount <= 1) return rooms;
    return this.#request(
      'allRooms',
      { type: RequestType.ALL_ROOMS },
      serverCount - 1,
      (message) => {
        const remote = message['rooms'];
        if (Array.isArray(remote)) for (const room of remote) if (typeof room === 'string') rooms.add(room);
      },
      () => rooms,
    );
  }

  // Applied here at once, then published: the other nodes apply it, and this node skips its own request.
  override addSockets(opts: BroadcastOptions, rooms: Room[]): void {
    super.addSockets(opts, rooms);
    if (opts.flags?.local === true) return;
    this.#publishCommand({ type: RequestType.REMOTE_JOIN, opts: this.#encodeTargets(opts), rooms: [...rooms] });
  }

  override delSockets(opts: BroadcastOptions, rooms: Room[]): void {
    super.delSockets(opts, rooms);
    if (opts.flags?.local === true) return;
    this.#publishCommand({ type: RequestType.REMOTE_LEAVE, opts: this.#encodeTargets(opts), rooms: [...rooms] });
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    super.disconnectSockets(opts, close);
    if (opts.flags?.local === true) return;
    this.#publishCommand({ type: RequestType.REMOTE_DISCONNECT, opts: this.#encodeTargets(opts), close });
  }

  #publishCommand(command: Record<string, unknown>): void {
    this.#publish(this.#channels.request, JSON.stringify({ uid: this.uid, ...command }));
  }

  override serverSideEmit(packet: unknown[]): void {
    const last = packet[packet.length - 1];
    if (typeof last !== 'function') {
      this.#publishCommand({ type: RequestType.SERVER_SIDE_EMIT, data: packet });
      return;
    }
    const ack = last as ServerSideAck;
    const data = packet.slice(0, -1);
    // socket.io passes the answers received so far along with a timeout error.
    const responses: unknown[] = [];
    this.serverCount()
      .then((serverCount) => {
        if (serverCount <= 1) return responses;
        const request = { type: RequestType.SERVER_SIDE_EMIT, data };
        return this.#request(
          'serverSideEmit',
          request,
          serverCount - 1,
          (m) => responses.push(m['data']),
          () => responses,
        );
      })
      .then(
        (all) => ack(null, all),
        (err: unknown) => ack(err as Error, responses),
      );
  }
}

/** The flags that change local delivery; the rest (timeout, local) meant something only on the sending node. */
function pickDeliveryFlags(flags: Record<string, unknown>): { volatile?: boolean; compress?: boolean } {
  const picked: { volatile?: boolean; compress?: boolean } = {};
  if (typeof flags['volatile'] === 'boolean') picked.volatile = flags['volatile'];
  if (typeof flags['compress'] === 'boolean') picked.compress = flags['compress'];
  return picked;
}

/**
 * Returns the adapter class for the server's `adapter` option; both clients must be connected, the subscriber
 * used for nothing else.
 * @example
 * const pubClient = createClient({ url: 'redis://localhost:6379' });
 * const subClient = pubClient.duplicate();
 * await Promise.all([pubClient.connect(), subClient.connect()]);
 * const io = new Server(httpServer, { adapter: createAdapter(pubClient, subClient) });
 */
export function createAdapter(
  pubClient: RedisClient,
  subClient: RedisClient,
  opts: RedisAdapterOptions = {},
): AdapterConstructor {
  const options = validateOptions(opts);
  createPubSub(pubClient, subClient); // throws now, not at the first namespace, for clients of no supported kind
  return class extends RedisAdapter {
    constructor(nsp: AdapterNamespace) {
      // One PubSub per namespace: each owns its subscriptions and removes only those.
      super(nsp, createPubSub(pubClient, subClient), options);
    }
  };
}

function validateOptions(opts: RedisAdapterOptions): Required<RedisAdapterOptions> {
  if (typeof opts !== 'object' || opts === null)
    throw new AdapterError(AdapterErrorCode.INVALID_OPTION, 'the options of createAdapter must be an object');
  const {
    key = 'socket.io',
    requestsTimeout = 5000,
    publishOnSpecificResponseChannel = false,
    parser = msgpackParser,
    deliverAfterPublish = true,
  } = opts;
  if (typeof key !== 'string' || key === '') {
    throw new AdapterError(
      AdapterErrorCode.INVALID_OPTION,
      `key must be a non-empty string, got ${JSON.stringify(key)}`,
    );
  }
  if (typeof requestsTimeout !== 'number' || !Number.isFinite(requestsTimeout) || requestsTimeout <= 0) {
    throw new AdapterError(
      AdapterErrorCode.INVALID_OPTION,
      `requestsTimeout must be a positive number of milliseconds, got ${String(requestsTimeout)}`,
    );
  }
  if (typeof parser?.encode !== 'function' || typeof parser.decode !== 'function') {
    throw new AdapterError(
      AdapterErrorCode.INVALID_OPTION,
      'parser must have encode(message) and decode(bytes) functions',
    );
  }
  if (typeof deliverAfterPublish !== 'boolean') {
    throw new AdapterError(
      AdapterErrorCode.INVALID_OPTION,
      `deliverAfterPublish must be true or false, got ${JSON.stringify(deliverAfterPublish)}`,
    );
  }
  const localBatchMs = localBatchMsOption(opts.localBatchMs);
  return { key, requestsTimeout, publishOnSpecificResponseChannel, parser, deliverAfterPublish, localBatchMs };
}
