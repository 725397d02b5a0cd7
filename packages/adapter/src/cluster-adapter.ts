// The base of cluster adapters: everything but the transport. A subclass publishes messages to the other servers
// and calls `onMessage` with what arrives; request ids, timeouts, acks across servers and heartbeats live here.
import { randomBytes } from 'node:crypto';
import createDebug from 'debug';
import { PacketType } from '@switchboard/protocol';
import {
  InMemoryAdapter,
  type AdapterNamespace,
  type BroadcastOptions,
  type Packet,
  type Room,
  type SocketDetails,
  type SocketId,
} from '@switchboard/server';
import { AdapterError, AdapterErrorCode } from './errors.js';
import {
  decodeOptions,
  decodeSocket,
  encodeOptions,
  encodeSocket,
  MessageType,
  parseClusterMessage,
  type ClusterMessage,
  type ClusterMessageBody,
} from './message.js';
import { LocalDeliveries, localBatchMsOption } from './local-deliveries.js';
import { NodeRegistry } from './node-registry.js';
import { PendingRequests } from './pending-requests.js';

const debug = createDebug('switchboard:adapter:cluster');

/** Options every adapter built on `ClusterAdapter` accepts. */
export interface ClusterAdapterOptions {
  /** Milliseconds to wait for the other servers' answers (fetchSockets, serverSideEmit with ack). @default 5000 */
  requestsTimeout?: number;
  /**
   * Milliseconds between heartbeats while this server publishes nothing else; 0 turns heartbeats off, for
   * transports that count servers themselves (override `serverCount`). @default 5000
   */
  heartbeatInterval?: number;
  /** A server not heard from for this many milliseconds is considered gone. @default 10000 */
  heartbeatTimeout?: number;
  /**
   * Whether this server's clients get a broadcast only once the transport answered its publish (as socket.io's
   * Streams adapter does), instead of at once. Costs them one round trip to the transport; in exchange an emitting
   * turn is cheap, so broadcasts sent one per turn reach the transport, the other servers and the local clients in
   * batches. The recipients are taken at emit time and what is written to them afterwards waits behind it, so
   * clients see the order the server emitted in either way; a failed publish still delivers locally, and a wait is
   * bounded (see `canDeliverAfterPublish`, and 1 s). Off here, for transports whose publish returns nothing to
   * wait for; the Redis, Streams and PostgreSQL adapters turn it on. @default false
   */
  deliverAfterPublish?: boolean;
  /**
   * With `deliverAfterPublish`: milliseconds this server's clients may wait, beyond the answer to a broadcast's
   * publish, for the broadcasts emitted after it whose publishes are still in flight, so that a steady stream reaches
   * each client a few broadcasts per write instead of one write per broadcast (bench/NOTES.md). Nothing waits when
   * no other publish is in flight; 0 delivers each as soon as its publish is answered. @default 3
   */
  localBatchMs?: number;
}

interface AckRequest {
  clientCountCallback: (clientCount: number) => void;
  ack: (...args: unknown[]) => void;
}

function checkDuration(name: string, value: number | undefined, fallback: number, allowZero: boolean): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero)) {
    throw new AdapterError(
      AdapterErrorCode.INVALID_OPTION,
      `${name} must be a number of milliseconds ${allowZero ? '>= 0' : '> 0'}, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * A packet as it travels: its own object (and argument list), so neither the ack id the local delivery assigns nor
 * the recovery offset appended later leaks into it.
 */
function wirePacket(packet: Packet): Packet {
  const copy: Packet = { type: packet.type, nsp: packet.nsp };
  if (packet.data !== undefined) copy.data = Array.isArray(packet.data) ? [...(packet.data as unknown[])] : packet.data;
  return copy;
}

/** Whether connection state recovery replays this broadcast: plain events, neither acknowledged nor volatile. */
function isReplayable(packet: Packet, opts: BroadcastOptions): boolean {
  const isEvent = packet.type === PacketType.EVENT || packet.type === PacketType.BINARY_EVENT;
  return isEvent && packet.id === undefined && opts.flags?.volatile !== true && Array.isArray(packet.data);
}

/**
 * A cluster adapter speaking socket.io-adapter 2.5's cluster format. Extend it with `publish` (and, for a
 * per-server channel, `publishResponse`) and call `onMessage` for every message the transport delivers.
 *
 * @example
 * class MyAdapter extends ClusterAdapter {
 *   constructor(nsp: AdapterNamespace, bus: Bus) {
 *     super(nsp);
 *     bus.on('message', (bytes) => this.onMessage(decodeClusterMessage(bytes)));
 *   }
 *   protected publish(message: ClusterMessage) {
 *     return bus.send(encodeClusterMessage(message));
 *   }
 * }
 */
export abstract class ClusterAdapter extends InMemoryAdapter {
  /** This adapter's id on the wire (the `uid` of every message it sends). */
  readonly uid: string = randomBytes(8).toString('hex');
  /** Milliseconds a request waits for the other servers. */
  protected readonly requestsTimeout: number;
  readonly #heartbeatInterval: number;
  readonly #heartbeatTimeout: number;
  readonly #nodes = new NodeRegistry();
  readonly #fetchRequests = new PendingRequests<SocketDetails>();
  readonly #emitRequests = new PendingRequests<unknown>();
  readonly #ackRequests = new Map<string, AckRequest>();
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #local: LocalDeliveries;

  /** See `ClusterAdapterOptions.deliverAfterPublish`; a transport may set it in its constructor. */
  protected deliverAfterPublish: boolean;

  constructor(nsp: AdapterNamespace, opts: ClusterAdapterOptions = {}) {
    super(nsp);
    this.requestsTimeout = checkDuration('requestsTimeout', opts.requestsTimeout, 5000, false);
    this.#heartbeatInterval = checkDuration('heartbeatInterval', opts.heartbeatInterval, 5000, true);
    this.#heartbeatTimeout = checkDuration('heartbeatTimeout', opts.heartbeatTimeout, 10_000, false);
    const deliverAfterPublish: unknown = opts.deliverAfterPublish ?? false;
    if (typeof deliverAfterPublish !== 'boolean') {
      throw new AdapterError(
        AdapterErrorCode.INVALID_OPTION,
        `deliverAfterPublish must be true or false, got ${JSON.stringify(deliverAfterPublish)}`,
      );
    }
    this.deliverAfterPublish = deliverAfterPublish;
    this.#local = new LocalDeliveries((packet, opts) => this.#broadcastHere(packet, opts), {
      hold: (packet, opts) => this.holdBroadcast(packet, opts),
      batchMs: localBatchMsOption(opts.localBatchMs),
    });
  }

  /**
   * Whether a local delivery may wait for its publish now (with `deliverAfterPublish`). A transport that knows its
   * connection is down returns false, so this server's clients are served at once, as socket.io's adapters serve
   * them, instead of waiting for the reconnection; a wait is bounded (1 s) in any case.
   */
  protected canDeliverAfterPublish(): boolean {
    return true;
  }

  /** Sends a message to every other server of the namespace. Errors are logged; nothing is retried. */
  protected abstract publish(message: ClusterMessage): Promise<void> | void;

  /**
   * For transports that store broadcasts (a stream): publishes a BROADCAST and resolves with the offset under which
   * it was stored. When given and recovery is on, the offset ends the arguments of every replayable broadcast, on
   * this server (once the store answered) and on the others (passed as `onMessage`'s second argument), so a client
   * can later ask for what it missed with `restoreSession(pid, offset)`.
   */
  protected publishAndReturnOffset?(message: ClusterMessage): Promise<string>;

  /** Sends a response to the server `requesterUid` only; by default to everyone (the others ignore it). */
  protected publishResponse(_requesterUid: string, message: ClusterMessage): Promise<void> | void {
    return this.publish(message);
  }

  get #heartbeats(): boolean {
    return this.#heartbeatInterval > 0;
  }

  override init(): Promise<void> | void {
    if (!this.#heartbeats) return;
    // Every server answers an INITIAL_HEARTBEAT, so a new server learns the cluster in one round trip.
    this.#send({ type: MessageType.INITIAL_HEARTBEAT });
    const sweepEveryMs = Math.max(20, Math.min(1000, this.#heartbeatInterval));
    this.#sweepTimer = setInterval(() => {
      for (const uid of this.#nodes.sweep(Date.now(), this.#heartbeatTimeout)) {
        debug('[%s] server %s seems down', this.uid, uid);
        this.#forget(uid);
      }
    }, sweepEveryMs);
    this.#sweepTimer.unref();
  }

  override close(): Promise<void> | void {
    if (this.#closed) return;
    this.#closed = true;
    // What still waits for a publish goes out now: the answer may never come once the transport is closed.
    this.#local.flush();
    if (this.#heartbeats) this.#send({ type: MessageType.ADAPTER_CLOSE });
    clearTimeout(this.#heartbeatTimer);
    clearInterval(this.#sweepTimer);
  }

  /** How many servers serve this namespace: this one plus those heard from within `heartbeatTimeout`. */
  override serverCount(): Promise<number> {
    return Promise.resolve(1 + this.#nodes.size);
  }

  // --- sending ------------------------------------------------------------------------------------------------

  #stamp(body: ClusterMessageBody): ClusterMessage {
    return { ...body, uid: this.uid, nsp: this.nsp.name };
  }

  #send(body: ClusterMessageBody): void {
    this.#scheduleHeartbeat();
    this.#settle(() => this.publish(this.#stamp(body)), 'publish');
  }

  #respond(requesterUid: string, body: ClusterMessageBody): void {
    this.#settle(() => this.publishResponse(requesterUid, this.#stamp(body)), 'publish a response');
  }

  /** A transport failure is logged, never thrown at the caller of emit(): the message is simply lost. */
  #settle(send: () => Promise<void> | void, what: string): void {
    try {
      const result = send();
      if (result instanceof Promise)
        result.catch((err: unknown) => debug('[%s] could not %s: %o', this.uid, what, err));
    } catch (err) {
      debug('[%s] could not %s: %o', this.uid, what, err);
    }
  }

  #scheduleHeartbeat(): void {
    if (!this.#heartbeats || this.#closed) return;
    // Any message is a heartbeat: the timer restarts on each one, so a busy server sends no extra message.
    if (this.#heartbeatTimer !== undefined) {
      this.#heartbeatTimer.refresh();
      return;
    }
    this.#heartbeatTimer = setTimeout(() => {
      this.#heartbeatTimer = undefined;
      this.#send({ type: MessageType.HEARTBEAT });
    }, this.#heartbeatInterval);
    this.#heartbeatTimer.unref();
  }

  // --- the Adapter operations, cluster-wide --------------------------------------------------------------------

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    if (opts.flags?.local !== true) {
      packet.nsp = this.nsp.name;
      const body = {
        type: MessageType.BROADCAST,
        data: { packet: wirePacket(packet), opts: encodeOptions(opts) },
      } as const;
      if (this.publishAndReturnOffset !== undefined && this.nsp.recovery !== undefined && isReplayable(packet, opts)) {
        const stored = this.#publishStored(() => this.publishAndReturnOffset?.(this.#stamp(body)));
        this.#local.deliverAfter(stored, packet, opts, (offset) => {
          if (offset !== undefined) (packet.data as unknown[]).push(offset);
        });
        return;
      }
      if (this.deliverAfterPublish && this.canDeliverAfterPublish()) {
        this.#local.deliverAfter(
          this.#publishStored(() => this.publish(this.#stamp(body))),
          packet,
          opts,
        );
        return;
      }
      this.#send(body);
    }
    this.#local.deliver(packet, opts);
  }

  #broadcastHere(packet: Packet, opts: BroadcastOptions): void {
    super.broadcast(packet, opts);
  }

  /** Publishes a broadcast whose local delivery waits for it; resolves with its offset, or undefined on failure. */
  #publishStored(publish: () => unknown): Promise<string | undefined> {
    this.#scheduleHeartbeat();
    let stored: unknown;
    try {
      stored = publish();
    } catch (err) {
      stored = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return Promise.resolve(stored).then(
      (offset) => (typeof offset === 'string' ? offset : undefined),
      (err: unknown) => {
        // Not stored: the local clients still get the packet, without an offset (as socket.io's adapters do).
        debug('[%s] could not publish a broadcast: %o', this.uid, err);
        return undefined;
      },
    );
  }

  override broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: (...args: unknown[]) => void,
  ): void {
    if (opts.flags?.local !== true) {
      const requestId = randomBytes(8).toString('hex');
      this.#ackRequests.set(requestId, { clientCountCallback, ack });
      packet.nsp = this.nsp.name;
      this.#send({
        type: MessageType.BROADCAST,
        data: { packet: wirePacket(packet), opts: encodeOptions(opts), requestId },
      });
      // Whether every client answered is the BroadcastOperator's to know; here the entry is only kept that long.
      setTimeout(() => this.#ackRequests.delete(requestId), opts.flags?.timeout ?? this.requestsTimeout).unref();
    }
    super.broadcastWithAck(packet, opts, clientCountCallback, ack);
  }

  override addSockets(opts: BroadcastOptions, rooms: Room[]): void {
    if (opts.flags?.local !== true)
      this.#send({ type: MessageType.SOCKETS_JOIN, data: { opts: encodeOptions(opts), rooms } });
    super.addSockets(opts, rooms);
  }

  override delSockets(opts: BroadcastOptions, rooms: Room[]): void {
    if (opts.flags?.local !== true)
      this.#send({ type: MessageType.SOCKETS_LEAVE, data: { opts: encodeOptions(opts), rooms } });
    super.delSockets(opts, rooms);
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    if (opts.flags?.local !== true)
      this.#send({ type: MessageType.DISCONNECT_SOCKETS, data: { opts: encodeOptions(opts), close } });
    super.disconnectSockets(opts, close);
  }

  /** The matching sockets of every server; rejects with ADAPTER_ERR_REQUEST_TIMEOUT when a server does not answer. */
  override async fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]> {
    const local = await super.fetchSockets(opts);
    if (opts.flags?.local === true) return local;
    const expected = (await this.serverCount()) - 1;
    if (expected <= 0) return local;
    const requestId = randomBytes(8).toString('hex');
    return new Promise((resolve, reject) => {
      this.#fetchRequests.open(
        requestId,
        'fetchSockets',
        expected,
        this.#heartbeats ? this.#nodes.uids() : undefined,
        opts.flags?.timeout ?? this.requestsTimeout,
        local,
        (err, sockets) => (err === null ? resolve(sockets) : reject(err)),
      );
      this.#send({ type: MessageType.FETCH_SOCKETS, data: { opts: encodeOptions(opts), requestId } });
    });
  }

  /** Ids of the sockets in any of `rooms` on every server. */
  override async sockets(rooms: Set<Room>): Promise<Set<SocketId>> {
    const sockets = await this.fetchSockets({ rooms });
    return new Set(sockets.map((socket) => socket.id));
  }

  /** Every room that has a member on some server (socket ids included, as each socket is in its own room). */
  async allRooms(): Promise<Set<Room>> {
    const rooms = new Set<Room>();
    for (const socket of await this.fetchSockets({ rooms: new Set() }))
      for (const room of socket.rooms) rooms.add(room);
    return rooms;
  }

  /**
   * Emits to the other servers; a trailing function gets `(err, responses)` once every server answered, or
   * ADAPTER_ERR_REQUEST_TIMEOUT and the responses that arrived after `requestsTimeout`.
   */
  override serverSideEmit(packet: unknown[]): void {
    const last = packet[packet.length - 1];
    if (typeof last !== 'function') {
      this.#send({ type: MessageType.SERVER_SIDE_EMIT, data: { packet } });
      return;
    }
    const ack = last as (err: Error | null, responses: unknown[]) => void;
    const args = packet.slice(0, -1);
    this.serverCount().then(
      (serverCount) => {
        const expected = serverCount - 1;
        if (expected <= 0) {
          ack(null, []);
          return;
        }
        const requestId = randomBytes(8).toString('hex');
        const waitingOn = this.#heartbeats ? this.#nodes.uids() : undefined;
        this.#emitRequests.open(requestId, 'serverSideEmit', expected, waitingOn, this.requestsTimeout, [], ack);
        this.#send({ type: MessageType.SERVER_SIDE_EMIT, data: { packet: args, requestId } });
      },
      (err: unknown) => ack(err instanceof Error ? err : new Error(String(err)), []),
    );
  }

  // --- receiving ----------------------------------------------------------------------------------------------

  /**
   * Handles a message from the transport (already decoded, e.g. with `decodeClusterMessage`). Its shape is checked
   * first; a malformed message, one from this adapter or for another namespace is dropped (debug log). `offset` is
   * where a stored BROADCAST sits in the transport's store (see `publishAndReturnOffset`). Returns false when the
   * message was malformed or handling it threw (a transport may count those), true otherwise.
   */
  protected onMessage(raw: unknown, offset?: string): boolean {
    const message = parseClusterMessage(raw);
    if (message === undefined) {
      debug('[%s] dropped a malformed message: %o', this.uid, raw);
      return false;
    }
    if (message.uid === this.uid || message.nsp !== this.nsp.name) return true;
    if (this.#heartbeats) this.#nodes.touch(message.uid, Date.now());
    try {
      this.#dispatch(message, offset);
      return true;
    } catch (err) {
      // A listener of a serverSideEmit event, or a socket's outgoing hook, threw: the transport must not die of it.
      debug('[%s] handling a message of type %d failed: %o', this.uid, message.type, err);
      return false;
    }
  }

  #dispatch(message: ClusterMessage, offset: string | undefined): void {
    switch (message.type) {
      case MessageType.INITIAL_HEARTBEAT:
        if (this.#heartbeats) this.#send({ type: MessageType.HEARTBEAT });
        return;
      case MessageType.HEARTBEAT:
        return;
      case MessageType.ADAPTER_CLOSE:
        this.#forget(message.uid);
        return;
      case MessageType.BROADCAST:
        this.#onBroadcast(message.uid, message.data, offset);
        return;
      case MessageType.SOCKETS_JOIN:
        super.addSockets(decodeOptions(message.data.opts), message.data.rooms);
        return;
      case MessageType.SOCKETS_LEAVE:
        super.delSockets(decodeOptions(message.data.opts), message.data.rooms);
        return;
      case MessageType.DISCONNECT_SOCKETS:
        super.disconnectSockets(decodeOptions(message.data.opts), message.data.close);
        return;
      case MessageType.FETCH_SOCKETS: {
        const { requestId, opts } = message.data;
        void super.fetchSockets(decodeOptions(opts)).then((sockets) =>
          this.#respond(message.uid, {
            type: MessageType.FETCH_SOCKETS_RESPONSE,
            data: { requestId, sockets: sockets.map(encodeSocket) },
          }),
        );
        return;
      }
      case MessageType.SERVER_SIDE_EMIT:
        this.#onServerSideEmit(message.uid, message.data.packet, message.data.requestId);
        return;
      case MessageType.FETCH_SOCKETS_RESPONSE:
        this.#fetchRequests.respond(message.data.requestId, message.uid, message.data.sockets.map(decodeSocket));
        return;
      case MessageType.SERVER_SIDE_EMIT_RESPONSE:
        this.#emitRequests.respond(message.data.requestId, message.uid, [message.data.packet]);
        return;
      case MessageType.BROADCAST_CLIENT_COUNT:
        this.#ackRequests.get(message.data.requestId)?.clientCountCallback(message.data.clientCount);
        return;
      case MessageType.BROADCAST_ACK:
        this.#ackRequests.get(message.data.requestId)?.ack(message.data.packet);
        return;
    }
  }

  #onBroadcast(
    requesterUid: string,
    data: { packet: Packet; opts: ReturnType<typeof encodeOptions>; requestId?: string },
    offset: string | undefined,
  ): void {
    const opts = decodeOptions(data.opts);
    const requestId = data.requestId;
    if (requestId === undefined) {
      if (offset !== undefined && this.nsp.recovery !== undefined && isReplayable(data.packet, opts)) {
        (data.packet.data as unknown[]).push(offset);
      }
      this.#local.deliver(data.packet, opts);
      return;
    }
    super.broadcastWithAck(
      data.packet,
      opts,
      (clientCount) =>
        this.#respond(requesterUid, { type: MessageType.BROADCAST_CLIENT_COUNT, data: { requestId, clientCount } }),
      // A client's ack travels as its first argument, as socket.io's cluster adapters send it.
      (...args) =>
        this.#respond(requesterUid, { type: MessageType.BROADCAST_ACK, data: { requestId, packet: args[0] } }),
    );
  }

  #onServerSideEmit(requesterUid: string, args: unknown[], requestId: string | undefined): void {
    if (requestId === undefined) {
      this.nsp.onServerSideEmit(args);
      return;
    }
    let answered = false;
    const callback = (response: unknown): void => {
      if (answered) return; // one answer per server
      answered = true;
      this.#respond(requesterUid, {
        type: MessageType.SERVER_SIDE_EMIT_RESPONSE,
        data: { requestId, packet: response },
      });
    };
    this.nsp.onServerSideEmit([...args, callback]);
  }

  #forget(uid: string): void {
    this.#nodes.remove(uid);
    this.#fetchRequests.forgetServer(uid);
    this.#emitRequests.forgetServer(uid);
  }
}
