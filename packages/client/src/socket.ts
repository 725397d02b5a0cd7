// A namespace's socket: CONNECT handshake, emit buffering, acknowledgements, retries and state recovery.
import { callUserCode, Emitter, RESERVED_EVENTS, type Packet } from '@switchboard/protocol';
import { startTimer } from '@switchboard/engine-client';
import createDebug from 'debug';
// Codes are written as literals (checked against ClientErrorCodeValue) so bundles need not ship the code table.
import { ClientError } from './errors.js';
import type { Manager, OutgoingPacket } from './manager.js';
import { subscribe } from './on.js';
import { RetryQueue, type EmitFlags } from './retry-queue.js';
import { ACK, BINARY_ACK, BINARY_EVENT, CONNECT, CONNECT_ERROR, DISCONNECT, EVENT } from './packet-types.js';
import type {
  AllButLast,
  DecorateAcknowledgements,
  DefaultEventsMap,
  EventNames,
  EventParams,
  EventsMap,
  FirstNonErrorArg,
  Last,
  TypedListeners,
} from './typed-events.js';

/** Options of one namespace's socket. */
export interface SocketOptions {
  /** Sent with the CONNECT packet: an object, or a function that calls back with one (called on every connect). */
  auth: Record<string, unknown> | ((callback: (data: object) => void) => void);
  /** With this set, every emit is queued and re-sent until acknowledged, at most this many extra times. */
  retries: number;
  /** Default acknowledgement timeout in ms for every emit with an acknowledgement. */
  ackTimeout: number;
}

/** Why the socket disconnected, spelled as socket.io spells it. */
export type DisconnectReason =
  | 'io server disconnect'
  | 'io client disconnect'
  | 'ping timeout'
  | 'transport close'
  | 'transport error'
  | 'parse error';

/** Details of a disconnection: the low-level error, or a description with its context. */
export type DisconnectDescription = Error | { description: string; context?: unknown };

/** The error given to `connect_error`: `data` is what the server attached. */
export interface ExtendedError extends Error {
  data?: unknown;
}

/** Events a Socket emits itself. */
export interface SocketReservedEvents {
  connect: () => void;
  connect_error: (err: ExtendedError) => void;
  disconnect: (reason: DisconnectReason, description?: DisconnectDescription) => void;
}

type AnyFn = (...args: unknown[]) => void;

// Acknowledgement callbacks that take an error first (`timeout()`, `emitWithAck`, retries).
const errorFirst = new WeakSet<AnyFn>();

// Calls sit behind `DEBUG:` labels, which the browser build drops (scripts/build-browser.mjs).
const debug = /* @__PURE__ */ createDebug('switchboard:client:socket');
// Socket's `emit` sends to the server; listeners are called through the base class's `emit`, with `this` given.
// eslint-disable-next-line @typescript-eslint/unbound-method -- called only through .call with the socket as `this`
const fire = Emitter.prototype.emit as unknown as (this: object, event: string, ...args: unknown[]) => boolean;
const ListenerStore = Emitter as unknown as new () => object;

// Merged into the class below, which gets its listener methods from Emitter at run time; it must repeat the class's
// type parameters, and extends rather than declares.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars -- see above
export interface Socket<ListenEvents extends EventsMap, EmitEvents extends EventsMap> extends TypedListeners<
  ListenEvents,
  SocketReservedEvents
> {}

// `Socket.DisconnectReason`, as socket.io-client spells the type.
// eslint-disable-next-line @typescript-eslint/no-namespace -- a type-only namespace merged with the class is how socket.io-client exposes it
export declare namespace Socket {
  export type { DisconnectReason };
}

/**
 * The client side of one namespace, multiplexed with the others over its Manager's connection.
 * @example
 * const socket = io('https://example.com/chat', { auth: { token: 'x' } });
 * socket.on('message', (text) => console.log(text));
 * socket.emit('message', 'hello', (reply) => console.log(reply));
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- listener methods come from Emitter at run time
export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> extends ListenerStore {
  // Fields assigned in the constructor are `declare`d: no separate initialiser is emitted into the bundle.
  /** The Manager whose connection this socket uses. */
  declare readonly io: Manager<ListenEvents, EmitEvents>;
  /** The namespace, e.g. '/' or '/admin'. */
  declare readonly nsp: string;
  /** Session id given by the server; undefined while disconnected. */
  declare id: string | undefined;
  /** True between `connect` and `disconnect`. */
  connected = false;
  /** True when the last connection restored the previous session (connection state recovery). */
  recovered = false;
  /** Credentials sent with each CONNECT. */
  declare auth: SocketOptions['auth'] | undefined;
  /** Events received before `connect` fires, delivered right after it. */
  receiveBuffer: Array<readonly unknown[]> = [];
  /** Packets emitted while disconnected, sent in order on connect. */
  sendBuffer: OutgoingPacket[] = [];
  readonly #opts: Partial<SocketOptions>;
  #ids = 0;
  #acks = new Map<number, (err: Error | null, args: unknown[]) => void>();
  #flags: EmitFlags = {};
  #subs: Array<() => void> | undefined;
  readonly #queue: RetryQueue | undefined;
  #any: AnyFn[] = [];
  #anyOut: AnyFn[] = [];
  #pid: string | undefined;
  #lastOffset: string | undefined;

  constructor(io: Manager<ListenEvents, EmitEvents>, nsp: string, opts: Partial<SocketOptions> = {}) {
    super();
    this.io = io;
    this.nsp = nsp;
    this.#opts = opts;
    this.auth = opts.auth;
    if (opts.retries !== undefined) {
      this.#queue = new RetryQueue(
        opts.retries,
        () => this.connected,
        (args, flags, onAck) => {
          errorFirst.add(onAck);
          this.#flags = flags;
          (this.emit as (...rest: unknown[]) => this)(...args, onAck);
        },
      );
    }
    if (io.autoConnect_) this.open();
  }

  /** True while not connected. */
  get disconnected(): boolean {
    return !this.connected;
  }

  /** True while the socket follows its Manager (connected or trying to), i.e. until `disconnect()` or a server kick. */
  get active(): boolean {
    return this.#subs !== undefined;
  }

  /** Connects the namespace (opening the Manager's connection when needed). */
  connect(): this {
    if (this.connected) return this;
    const io = this.io;
    this.#subs ??= [
      subscribe(io, 'open', () => this.#onOpen()),
      subscribe(io, 'packet', (packet: Packet) => this.#onPacket(packet)),
      subscribe(io, 'error', (err: Error) => this.connected || void fire.call(this, 'connect_error', err)),
      subscribe(io, 'close', (reason: DisconnectReason, description?: DisconnectDescription) =>
        this.#onClose(reason, description),
      ),
    ];
    if (!io.reconnecting_) io.open();
    if (io.readyState_ === 'open') this.#onOpen();
    return this;
  }

  /** Alias of `connect`. */
  open(): this {
    return this.connect();
  }

  /** Emits a `message` event. */
  send(...args: unknown[]): this {
    return (this.emit as (ev: string, ...rest: unknown[]) => this)('message', ...args);
  }

  /** Emits an event to the server; a trailing function receives the server's acknowledgement. */
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...params: EventParams<EmitEvents, Ev>): this {
    if (RESERVED_EVENTS.has(ev as string)) {
      throw new ClientError('SIO_ERR_RESERVED_EVENT', `"${String(ev)}" is a reserved event name`);
    }
    const args: unknown[] = [ev, ...params];
    const flags = this.#flags;
    this.#flags = {};
    if (this.#queue && !flags.fromQueue && !flags.volatile) {
      this.#queue.add(args, flags);
      return this;
    }
    const packet: OutgoingPacket = {
      type: EVENT,
      nsp: this.nsp,
      data: args,
      options: { compress: flags.compress !== false },
    };
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      packet.id = this.#ids++;
      args.pop();
      this.#registerAck(packet.id, last as AnyFn, flags.timeout);
    }
    const writable = this.io.engine?.transport.writable;
    if (flags.volatile && !writable) return this;
    // A connection whose ping deadline passed unnoticed (the machine slept) is dead: the engine closes it, and the
    // packet waits in the buffer for the reconnection instead of being written into it.
    if (this.connected && !this.io.engine.pingExpired_()) this.#send(packet);
    else {
      DEBUG: debug('%s not connected: buffering %s', this.nsp, String(args[0]));
      this.sendBuffer.push(packet);
    }
    return this;
  }

  /** Emits and resolves with the acknowledgement (rejects on timeout or disconnection). */
  emitWithAck<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>> {
    return new Promise((resolve, reject) => {
      const ack = (err: unknown, value: FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>): void =>
        err ? reject(err) : resolve(value);
      errorFirst.add(ack as AnyFn);
      (this.emit as (ev: Ev, ...rest: unknown[]) => this)(ev, ...(args as unknown[]), ack);
    });
  }

  /** Leaves the namespace; the Manager's connection closes when no namespace uses it any more. */
  disconnect(): this {
    const wasConnected = this.connected;
    if (wasConnected) this.io.packet_({ type: DISCONNECT, nsp: this.nsp });
    this.#destroy();
    if (wasConnected) this.#onClose('io client disconnect');
    return this;
  }

  /** Alias of `disconnect`. */
  close(): this {
    return this.disconnect();
  }

  /** Sets whether the next emit is compressed. */
  compress(compress: boolean): this {
    this.#flags.compress = compress;
    return this;
  }

  /** The next emit is dropped rather than buffered when it cannot be sent right away. */
  get volatile(): this {
    this.#flags.volatile = true;
    return this;
  }

  /** The next emit's acknowledgement gets an Error first, which is set when no answer came within `ms`. */
  timeout(ms: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>> {
    this.#flags.timeout = ms;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- false positive: the assertion changes the event map
    return this as unknown as Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>>;
  }

  /** Adds a listener called with every incoming event (name first). */
  onAny(listener: AnyFn): this {
    this.#any.push(listener);
    return this;
  }

  /** Like `onAny`, but called before the other catch-all listeners. */
  prependAny(listener: AnyFn): this {
    this.#any.unshift(listener);
    return this;
  }

  /** Removes one catch-all listener, or all of them. */
  offAny(listener?: AnyFn): this {
    this.#any = listener ? this.#any.filter((l) => l !== listener) : [];
    return this;
  }

  /** The catch-all listeners of incoming events. */
  listenersAny(): AnyFn[] {
    return this.#any.slice();
  }

  /** Adds a listener called with every outgoing event (name first), when it is written. */
  onAnyOutgoing(listener: AnyFn): this {
    this.#anyOut.push(listener);
    return this;
  }

  /** Like `onAnyOutgoing`, but called before the other catch-all listeners. */
  prependAnyOutgoing(listener: AnyFn): this {
    this.#anyOut.unshift(listener);
    return this;
  }

  /** Removes one outgoing catch-all listener, or all of them. */
  offAnyOutgoing(listener?: AnyFn): this {
    this.#anyOut = listener ? this.#anyOut.filter((l) => l !== listener) : [];
    return this;
  }

  /** The catch-all listeners of outgoing events. */
  listenersAnyOutgoing(): AnyFn[] {
    return this.#anyOut.slice();
  }

  #registerAck(id: number, callback: AnyFn, timeoutMs = this.#opts.ackTimeout): void {
    let withError = errorFirst.has(callback);
    let stopTimer: (() => void) | undefined;
    if (timeoutMs !== undefined) {
      withError = true;
      // The Manager's options: useNativeTimers, and autoUnref (a pending ack does not hold the process open either).
      stopTimer = startTimer(
        () => {
          this.#acks.delete(id);
          this.sendBuffer = this.sendBuffer.filter((packet) => packet.id !== id);
          callUserCode(callback, this, [new ClientError('SIO_ERR_ACK_TIMEOUT', 'operation has timed out')]);
        },
        timeoutMs,
        this.io.opts,
      );
    }
    this.#acks.set(id, (err, args) => {
      stopTimer?.();
      // The callback is the application's (or the retry queue's, which calls the application's the same way).
      if (err) {
        if (withError) callUserCode(callback, this, [err]);
      } else callUserCode(callback, this, withError ? [null, ...args] : args);
    });
  }

  #send(packet: OutgoingPacket): void {
    if (this.#anyOut.length)
      for (const listener of this.#anyOut.slice()) callUserCode(listener, this, packet.data as unknown[]);
    this.io.packet_(packet);
  }

  #onOpen(): void {
    const send = (data?: object): void => {
      // Recovery: the session id and the last offset seen ride along with the credentials.
      const payload = this.#pid ? { pid: this.#pid, offset: this.#lastOffset, ...data } : data;
      // No auth and no session: `data` stays undefined and the encoder writes a bare CONNECT.
      this.io.packet_({ type: CONNECT, nsp: this.nsp, data: payload });
    };
    const auth = this.auth;
    if (typeof auth === 'function') auth(send);
    else send(auth);
  }

  #onClose(reason: DisconnectReason, description?: DisconnectDescription): void {
    DEBUG: debug('%s disconnected (%s)', this.nsp, reason);
    this.connected = false;
    this.id = undefined;
    fire.call(this, 'disconnect', reason, description);
    // Pending acknowledgements fail, except for packets still buffered: those will be sent on reconnect.
    for (const [id, ack] of this.#acks) {
      if (this.sendBuffer.some((packet) => packet.id === id)) continue;
      this.#acks.delete(id);
      ack(new ClientError('SIO_ERR_SOCKET_DISCONNECTED', 'socket has been disconnected'), []);
    }
  }

  #onPacket(packet: Packet): void {
    if (packet.nsp !== this.nsp) return;
    const data = packet.data as Record<string, unknown> | unknown[] | undefined;
    switch (packet.type) {
      case CONNECT:
        if ((data as { sid?: string } | undefined)?.sid) {
          this.#onConnect((data as { sid: string }).sid, (data as { pid?: string }).pid);
        } else {
          fire.call(
            this,
            'connect_error',
            new ClientError('SIO_ERR_UNSUPPORTED_SERVER', 'unsupported server (Socket.IO v2?)'),
          );
        }
        break;
      case EVENT:
      case BINARY_EVENT: {
        const args = [...((data as unknown[] | undefined) ?? [])];
        if (packet.id !== undefined) args.push(this.#ack(packet.id));
        if (this.connected) this.#emitEvent(args);
        else this.receiveBuffer.push(args);
        break;
      }
      case ACK:
      case BINARY_ACK: {
        const id = packet.id;
        const ack = id === undefined ? undefined : this.#acks.get(id);
        if (id === undefined || !ack) return;
        this.#acks.delete(id);
        ack(null, (data as unknown[] | undefined) ?? []);
        break;
      }
      case DISCONNECT:
        this.#destroy();
        this.#onClose('io server disconnect');
        break;
      case CONNECT_ERROR: {
        this.#destroy();
        // The decoder lets only an object or a string through.
        const info = (typeof data === 'string' ? { message: data } : data) as { message?: unknown; data?: unknown };
        fire.call(this, 'connect_error', new ClientError('SIO_ERR_CONNECT_REFUSED', String(info.message), info.data));
        break;
      }
    }
  }

  #emitEvent(args: readonly unknown[]): void {
    if (this.#any.length) for (const listener of this.#any.slice()) callUserCode(listener, this, args);
    fire.call(this, ...(args as [string, ...unknown[]]));
    const last = args[args.length - 1];
    if (this.#pid && args.length > 1 && typeof last === 'string') this.#lastOffset = last;
  }

  #ack(id: number): AnyFn {
    let sent = false;
    return (...args) => {
      // A server acknowledgement is answered at most once.
      if (sent) return;
      sent = true;
      this.io.packet_({ type: ACK, nsp: this.nsp, id, data: args });
    };
  }

  #onConnect(id: string, pid: string | undefined): void {
    DEBUG: debug('%s connected as %s%s', this.nsp, id, pid === undefined ? '' : ' (recovery pid ' + pid + ')');
    this.id = id;
    this.recovered = pid !== undefined && this.#pid === pid;
    this.#pid = pid;
    this.connected = true;
    for (const args of this.receiveBuffer) this.#emitEvent(args);
    this.receiveBuffer = [];
    const buffered = this.sendBuffer;
    this.sendBuffer = [];
    for (const packet of buffered) this.#send(packet);
    fire.call(this, 'connect');
    // The head of the retry queue may have been in flight when the connection dropped: send it again.
    this.#queue?.drain(true);
  }

  #destroy(): void {
    if (!this.#subs) return;
    for (const unsubscribe of this.#subs) unsubscribe();
    this.#subs = undefined;
    this.io.destroy_();
  }
}
