// One client's membership of one namespace: incoming events and acks, emits, rooms, middlewares, disconnection.
import createDebug from 'debug';
import { PacketType, type Packet } from '@switchboard/protocol';
import type {
  Adapter,
  AdapterSocket,
  BroadcastFlags,
  EncodedPacket,
  PrivateSessionId,
  Room,
  SocketId,
} from './adapter/types.js';
import type { HeldBroadcast } from './adapter/held-broadcast.js';
import { reportAdapterFailure, watchAdapterResult } from './adapter/adapter-failures.js';
import { assertNotReserved, BroadcastOperator } from './broadcast-operator.js';
import type { Client, WriteToEngineOptions } from './client.js';
import type { Namespace } from './namespace.js';
import type { ServerRuntime } from './runtime.js';
import type { Server } from './server.js';
import { CatchAllEmitter } from './catch-all-emitter.js';
import { ServerError, ServerErrorCode } from './errors.js';
import { buildHandshake } from './handshake.js';
import { createId } from './ids.js';
import { RECOVERABLE_DISCONNECT_REASONS, type RestoredState } from './recovery.js';
import { AckRegistry } from './socket-acks.js';
import { TokenBucket } from './rate-limit.js';
import { emitBehindBoundary, type UserCodeBoundary } from './user-code.js';
import type { DisconnectReason, Handshake, PacketMiddleware, SocketReservedEventsMap } from './socket-types.js';
import {
  type AllButLast,
  type DecorateAcknowledgements,
  type DecorateAcknowledgementsWithMultipleResponses,
  type DefaultEventsMap,
  type EventNames,
  type EventNamesWithAck,
  type EventParams,
  type EventsMap,
  type FirstNonErrorArg,
  type Last,
  type DefaultSocketData,
} from './typed-events.js';

const debug = createDebug('switchboard:server:socket');

type Listener = (...args: unknown[]) => void;

/** The flags of an emit without modifiers; shared, so a plain emit allocates no flags object. */
const NO_FLAGS: BroadcastFlags = Object.freeze({});

/** The socket id a Socket.IO v2 client expects: the Engine.IO id, prefixed by the namespace outside `/`. */
function legacySocketId(nsp: string, engineId: string): string {
  return nsp === '/' ? engineId : `${nsp}#${engineId}`;
}

/** The server-side end of one client's connection to one namespace. */
export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = DefaultEventsMap,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = DefaultSocketData,
>
  extends CatchAllEmitter<ListenEvents, EmitEvents, SocketReservedEventsMap>
  implements AdapterSocket
{
  readonly id: SocketId;
  readonly nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  readonly client: Client<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  /** True when this socket resumed a previous session (connection state recovery). */
  readonly recovered: boolean;
  connected = false;
  #left = false;
  readonly #pid: PrivateSessionId | undefined;
  /** The CONNECT payload; undefined when the client sent none (an empty object is made only if asked for). */
  readonly #auth: Record<string, unknown> | undefined;
  #data: SocketData | undefined;
  readonly #issued: number;
  // Everything below is created on first use: an idle socket carries none of it.
  #handshake: Handshake | undefined;
  #acks: AckRegistry | undefined;
  #flags: BroadcastFlags | undefined;
  #middlewares: PacketMiddleware[] | undefined;
  /** Only with the `rateLimit` option. */
  readonly #bucket: TokenBucket | undefined;

  constructor(
    nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    client: Client<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    auth: Record<string, unknown> | undefined,
    previous?: RestoredState,
  ) {
    super();
    // Node's EventEmitter allocates a dictionary for listeners up front (~160 B); every EventEmitter method also
    // accepts `_events === undefined` and creates it on the first `on()`. An idle socket without listeners then
    // costs nothing for it, and one with listeners costs what it did.
    (this as unknown as { _events: undefined })._events = undefined;
    this.nsp = nsp;
    this.client = client;
    this.#auth = auth;
    const runtime = nsp.runtime;
    this.#issued = runtime.clock.now();
    const rateLimit = runtime.rateLimit;
    if (rateLimit !== undefined) this.#bucket = new TokenBucket(rateLimit, runtime.clock);
    if (previous !== undefined) {
      this.id = previous.sid;
      this.#pid = previous.pid;
      this.#data = previous.data as SocketData;
      this.recovered = true;
      // Rooms are restored by the namespace once the socket is registered (the adapter may be async).
    } else {
      // v2 clients compute their id from the Engine.IO id, so theirs must be derived the same way.
      this.id = client.conn.protocol === 3 ? legacySocketId(nsp.name, client.conn.id) : createId();
      this.#pid = nsp.recovery !== undefined ? createId() : undefined;
      this.recovered = false;
    }
  }

  /** The server this socket belongs to. */
  get server(): Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    return this.nsp.server;
  }

  /** The runtime of the namespace: limits, clock, the user-code boundary. */
  get #runtime(): ServerRuntime<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    return this.nsp.runtime;
  }

  protected override get userCode(): UserCodeBoundary {
    return this.nsp.runtime.userCode;
  }

  #newAcks(): AckRegistry {
    return new AckRegistry(this.#runtime.clock, this.#runtime.userCode);
  }

  /** The namespace's adapter. */
  get adapter(): Adapter {
    return this.nsp.adapter;
  }

  /** The underlying Engine.IO connection. */
  get conn(): Client<ListenEvents, EmitEvents, ServerSideEvents, SocketData>['conn'] {
    return this.client.conn;
  }

  /** The first HTTP request of the connection. */
  get request(): Client<ListenEvents, EmitEvents, ServerSideEvents, SocketData>['conn']['request'] {
    return this.client.conn.request;
  }

  /** Free-form data, shared with fetchSockets and kept across recovery; created on first access. */
  get data(): SocketData {
    this.#data ??= {} as SocketData;
    return this.#data;
  }

  set data(value: SocketData) {
    this.#data = value;
  }

  /** The handshake details, built on first access. */
  get handshake(): Handshake {
    this.#handshake ??= buildHandshake(this.client.conn, this.#auth ?? {}, this.#issued);
    return this.#handshake;
  }

  get disconnected(): boolean {
    return !this.connected;
  }

  /** The rooms this socket is in (its own id included). */
  get rooms(): Set<Room> {
    return this.nsp.adapter.socketRooms(this.id) ?? new Set();
  }

  /**
   * Bytes the server holds for this socket's client, not yet sent (its whole connection: all namespaces). Past the
   * engine's `maxBufferedBytes`, volatile emits are dropped first; `socket.conn.on('drain', ...)` says when it emptied.
   */
  get bufferedBytes(): number {
    return this.client.conn.bufferedBytes ?? 0;
  }

  /** The private session id sent in the CONNECT reply when recovery is on. */
  get pid(): PrivateSessionId | undefined {
    return this.#pid;
  }

  // --- emitting ---------------------------------------------------------------------------------------------

  /** Emits to this client; a trailing function receives the client's acknowledgement. */
  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    assertNotReserved(ev);
    const data: unknown[] = [ev, ...(args as unknown[])];
    const packet: Packet = { type: PacketType.EVENT, nsp: this.nsp.name, data };
    const flags = this.#flags ?? NO_FLAGS;
    this.#flags = undefined;
    const last = data[data.length - 1];
    if (typeof last === 'function') {
      this.#assertAckRoom();
      packet.id = this.nsp.nextAckId();
      data.pop();
      (this.#acks ??= this.#newAcks()).register(packet.id, last as Listener, flags.timeout);
    }
    if (this.nsp.recovery !== undefined) {
      // Through the adapter so the packet gets an offset and is kept for replay after a reconnection.
      const adapter = this.nsp.adapter;
      try {
        /* eslint-disable @typescript-eslint/no-confusing-void-expression -- adapters return void (socket.io's) or a promise */
        watchAdapterResult(
          adapter,
          'broadcast',
          adapter.broadcast(packet, { rooms: new Set([this.id]), except: new Set(), flags }),
        );
        /* eslint-enable @typescript-eslint/no-confusing-void-expression */
      } catch (err) {
        reportAdapterFailure(adapter, 'broadcast', err);
      }
    } else {
      this.notifyOutgoing(packet.data as unknown[]);
      this.client.writePacket(packet, flags);
    }
    return true;
  }

  /** Emits and resolves with the client's acknowledgement (rejects on timeout when `timeout` was set). */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>> {
    const withTimeout = this.#flags?.timeout !== undefined;
    return new Promise((resolve, reject) => {
      const callback = withTimeout
        ? (err: Error | null, value: unknown) => (err !== null ? reject(err) : resolve(value as never))
        : (value: unknown) => resolve(value as never);
      (this.emit as (ev: Ev, ...rest: unknown[]) => boolean)(ev, ...(args as unknown[]), callback);
    });
  }

  /** Adapter hook: a broadcast with acks shares one id among its recipients. */
  registerAck(id: number, ack: Listener): void {
    // At the limit this client's answer is not awaited: the broadcast's own timeout reports it missing.
    if ((this.#acks?.size ?? 0) >= this.#runtime.limits.maxPendingAcks) {
      debug('socket %s awaits maxPendingAcks acknowledgements; broadcast ack %d not awaited', this.id, id);
      return;
    }
    (this.#acks ??= this.#newAcks()).register(id, ack, undefined);
  }

  #assertAckRoom(): void {
    const max = this.#runtime.limits.maxPendingAcks;
    if ((this.#acks?.size ?? 0) < max) return;
    throw new ServerError(
      ServerErrorCode.TOO_MANY_PENDING_ACKS,
      `socket ${this.id} already awaits ${max} acknowledgements (maxPendingAcks): use timeout(ms) so unanswered ones expire, or raise the limit`,
    );
  }

  /**
   * Compatibility surface: socket.io's pending-ack map, which adapters built on socket.io-adapter fill with `acks.set(id, fn)`
   * for a broadcast with acks.
   */
  get acks(): AckRegistry {
    return (this.#acks ??= this.#newAcks());
  }

  /** Compatibility surface: socket.io's hook; adapters built on socket.io-adapter show each broadcast packet to `onAnyOutgoing`. */
  notifyOutgoingListeners(packet: Packet): void {
    this.notifyOutgoing(packet.data as unknown[]);
  }

  /**
   * @internal socket.io's `socket.packet`: socket.io-adapter up to 2.3 (under socket.io-redis 6, for one) broadcasts
   * by calling it with the packet already encoded (`preEncoded`); an unencoded packet is encoded for this socket.
   */
  packet(
    packet: Packet | ReadonlyArray<string | Uint8Array>,
    opts: WriteToEngineOptions & { preEncoded?: boolean } = {},
  ): void {
    if (opts.preEncoded === true) {
      this.client.writeToEngine(packet as ReadonlyArray<string | Uint8Array>, opts);
      return;
    }
    const flags: BroadcastFlags = {};
    if (opts.volatile !== undefined) flags.volatile = opts.volatile;
    if (opts.compress !== undefined) flags.compress = opts.compress;
    this.client.writePacket({ ...(packet as Packet), nsp: this.nsp.name }, flags);
  }

  /** Adapter hook (see HeldBroadcast): reserves this connection's next write for a broadcast held for later. */
  reserveWrite(broadcast: HeldBroadcast): void {
    this.client.reserveWrite(broadcast, this);
  }

  /** Adapter hook: writes what waited on this connection, up to the next broadcast still held. */
  releaseWrites(): void {
    this.client.releaseWrites();
  }

  /** Adapter hook: writes a packet encoded once for every recipient of a broadcast. */
  writeEncoded(packet: Packet, encoded: EncodedPacket, flags: BroadcastFlags): void {
    this.notifyOutgoing(packet.data as unknown[]);
    this.client.writeEncoded(encoded, flags);
  }

  /** Sends a `message` event. */
  send(...args: EventParams<EmitEvents, 'message'>): this {
    (this.emit as (ev: string, ...rest: unknown[]) => boolean)('message', ...args);
    return this;
  }

  /** Alias of `send`. */
  write(...args: EventParams<EmitEvents, 'message'>): this {
    return this.send(...args);
  }

  /** Waits `timeout` ms for the acknowledgement of the next emit; the callback then receives an Error first. */
  timeout(timeout: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>, ServerSideEvents, SocketData> {
    this.#flags = { ...this.#flags, timeout };
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- false positive: the assertion changes the event map
    return this as unknown as Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>, ServerSideEvents, SocketData>;
  }

  /** The next emit may be dropped if the client is not ready to receive it. */
  get volatile(): this {
    this.#flags = { ...this.#flags, volatile: true };
    return this;
  }

  /** Sets whether the next emit may be compressed. */
  compress(compress: boolean): this {
    this.#flags = { ...this.#flags, compress };
    return this;
  }

  // --- broadcasting from this socket (everyone but itself) ----------------------------------------------------

  #broadcastOperator(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    const flags = this.#flags ?? NO_FLAGS;
    this.#flags = undefined;
    return new BroadcastOperator(this.nsp.adapter, new Set(), new Set([this.id]), flags, this.#runtime);
  }

  /** Targets every socket of the namespace but this one. */
  get broadcast(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.#broadcastOperator();
  }

  /** Targets `room`, excluding this socket. */
  to(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.#broadcastOperator().to(room);
  }

  /** Alias of `to`. */
  in(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.#broadcastOperator().in(room);
  }

  /** Targets everyone but `room` and this socket. */
  except(
    room: Room | Room[],
  ): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.#broadcastOperator().except(room);
  }

  /** Broadcasts on this server only. */
  get local(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.#broadcastOperator().local;
  }

  // --- rooms ----------------------------------------------------------------------------------------------------

  /** Joins one or more rooms; returns the adapter's promise when it is asynchronous. */
  join(rooms: Room | Room[]): Promise<void> | void {
    // Allowed from middlewares (before the CONNECT reply), refused once the socket has left.
    if (this.#left) return;
    const joining = new Set(Array.isArray(rooms) ? rooms : [rooms]);
    this.#assertRoomsFit(joining);
    return this.nsp.adapter.addAll(this.id, joining);
  }

  #assertRoomsFit(joining: Set<Room>): void {
    const max = this.#runtime.limits.maxRoomsPerSocket;
    const current = this.nsp.adapter.socketRooms(this.id);
    const size = current?.size ?? 0;
    // The common case (far below the limit) costs one comparison; only near it are the new rooms counted.
    if (size + joining.size <= max) return;
    let added = 0;
    for (const room of joining) if (current?.has(room) !== true) added++;
    if (size + added <= max) return;
    throw new ServerError(
      ServerErrorCode.TOO_MANY_ROOMS,
      `socket ${this.id} would be in ${size + added} rooms, more than maxRoomsPerSocket (${max})`,
    );
  }

  /** Joins rooms on the server's behalf (own-id room, restored rooms): an async adapter's failure is logged. */
  joinQuietly(rooms: Room | Room[]): void {
    const failed = (err: unknown): void => debug('socket %s could not join %o: %o', this.id, rooms, err);
    try {
      const joined = this.join(rooms);
      if (joined instanceof Promise) joined.catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  /** Leaves a room. */
  leave(room: Room): Promise<void> | void {
    return this.nsp.adapter.del(this.id, room);
  }

  /** Leaves every room, its own id's room included (as socket.io does). */
  leaveAll(): void {
    this.nsp.adapter.delAll(this.id);
  }

  // --- incoming -------------------------------------------------------------------------------------------------

  /** Called by the namespace when the socket never connected (refused, or its connection closed first). */
  onAbandoned(): void {
    this.#left = true;
    this.nsp.adapter.delAll(this.id);
  }

  /** Called by the namespace once middlewares passed: registers the id room and sends the CONNECT reply. */
  onConnected(): void {
    this.connected = true;
    this.joinQuietly(this.id);
    if (this.client.conn.protocol === 3) {
      // Socket.IO v2 clients expect an empty CONNECT reply.
      this.client.writePacket({ type: PacketType.CONNECT, nsp: this.nsp.name });
      return;
    }
    const data: Record<string, string> = { sid: this.id };
    if (this.#pid !== undefined) data['pid'] = this.#pid;
    this.client.writePacket({ type: PacketType.CONNECT, nsp: this.nsp.name, data });
  }

  /** Dispatches a decoded packet addressed to this socket's namespace. */
  onPacket(packet: Packet): void {
    if (this.#bucket !== undefined && !this.#bucket.take()) {
      this.#onRateLimited(packet);
      return;
    }
    switch (packet.type) {
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT:
        this.#onEvent(packet);
        return;
      case PacketType.ACK:
      case PacketType.BINARY_ACK:
        this.#onAck(packet);
        return;
      case PacketType.DISCONNECT:
        this.onClose('client namespace disconnect');
        return;
      default:
        debug('socket %s ignores packet type %d', this.id, packet.type);
    }
  }

  #onEvent(packet: Packet): void {
    const args = packet.data as unknown[];
    if (packet.id !== undefined) args.push(this.#createAck(packet.id));
    this.notifyIncoming(args);
    if (this.#middlewares === undefined) {
      this.#dispatch(args);
      return;
    }
    this.#runMiddlewares(args, 0);
  }

  #runMiddlewares(args: unknown[], index: number): void {
    const middleware = this.#middlewares?.[index];
    if (middleware === undefined) {
      if (this.connected) this.#dispatch(args);
      return;
    }
    const next = (err?: Error): void => {
      if (err !== undefined && err !== null) {
        this.#onError(err);
        return;
      }
      this.#runMiddlewares(args, index + 1);
    };
    this.#runtime.userCode.call(middleware, this, [args, next]);
  }

  #dispatch(args: unknown[]): void {
    // `args` is already [event, ...arguments] (at most the decoder's maxArguments): applied directly, no slice or
    // spread per packet, behind the boundary so a throwing handler leaves the read path intact.
    emitBehindBoundary(this, args, this.#runtime.userCode);
  }

  #createAck(id: number): Listener {
    let sent = false;
    return (...args: unknown[]) => {
      // An acknowledgement is sent at most once, and never after the socket left.
      if (sent || !this.connected) return;
      sent = true;
      this.client.writePacket({ type: PacketType.ACK, nsp: this.nsp.name, id, data: args });
    };
  }

  #onAck(packet: Packet): void {
    if (packet.id === undefined || this.#acks?.resolve(packet.id, packet.data as unknown[]) !== true) {
      debug('socket %s got an ack with unknown id %s', this.id, packet.id);
    }
  }

  #onRateLimited(packet: Packet): void {
    if (this.#runtime.rateLimit?.action === 'disconnect') {
      debug('socket %s is over the rate limit; disconnecting', this.id);
      this.client.writePacket({ type: PacketType.DISCONNECT, nsp: this.nsp.name });
      this.onClose('rate limit exceeded');
      return;
    }
    debug('socket %s is over the rate limit; packet type %d dropped', this.id, packet.type);
    this.#onError(
      new ServerError(ServerErrorCode.RATE_LIMITED, 'packet dropped: the client is over the rateLimit allowance'),
    );
  }

  #onError(err: Error): void {
    // Without an 'error' listener, EventEmitter would throw: a rejected packet must not crash the process.
    if (this.listenerCount('error') > 0) this.emitReserved('error', err);
    else debug('socket %s: unhandled middleware error %s', this.id, err.message);
  }

  /** Adds a per-packet middleware, run on every incoming event before its listeners. */
  use(fn: PacketMiddleware): this {
    (this.#middlewares ??= []).push(fn);
    return this;
  }

  // --- disconnection --------------------------------------------------------------------------------------------

  /** Disconnects from this namespace; `close` also closes the underlying connection (all namespaces). */
  disconnect(close = false): this {
    if (!this.connected) return this;
    if (close) {
      this.client.disconnectAll();
    } else {
      this.client.writePacket({ type: PacketType.DISCONNECT, nsp: this.nsp.name });
      this.onClose('server namespace disconnect');
    }
    return this;
  }

  /** Called when the socket leaves: emits `disconnecting`, saves the session if recoverable, then `disconnect`. */
  onClose(reason: DisconnectReason, description?: unknown): void {
    if (!this.connected) return;
    this.#left = true;
    this.emitReserved('disconnecting', reason, description);
    if (this.#pid !== undefined && RECOVERABLE_DISCONNECT_REASONS.has(reason)) {
      const saved = this.nsp.adapter.persistSession({
        sid: this.id,
        pid: this.#pid,
        rooms: [...this.rooms],
        data: this.data,
      });
      // An asynchronous adapter may fail to save: the session is then simply not recoverable.
      if (saved instanceof Promise)
        saved.catch((err: unknown) => debug('persistSession failed for %s: %o', this.id, err));
    }
    this.nsp.adapter.delAll(this.id);
    this.nsp.removeSocket(this);
    this.client.removeSocket(this);
    this.connected = false;
    this.#acks?.failAll();
    this.#acks = undefined;
    this.emitReserved('disconnect', reason, description);
  }
}
