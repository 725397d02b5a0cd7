// One Engine.IO session: readyState machine, write buffer flushed once per callback, heartbeat, and transport handover.
import { EventEmitter } from 'node:events';
import type { EnginePacket, EnginePacketType } from '@switchboard/protocol';
import createDebug from 'debug';
import type { EventEmitter as Emitter } from 'node:events';
import type { OutgoingPacket, SendOptions, SessionRuntime } from './context.js';
import type { BufferOverflow } from './buffer-overflow.js';
import { packetBytes, packetOptions, trackOverflow } from './buffer-overflow.js';
import { EngineError, EngineErrorCode } from './errors.js';
import type { EngineRequest } from './http/handshake-request.js';
import { Heartbeat } from './heartbeat.js';
import { openPacketJson } from './open-packet.js';
import type { PreparedMessage } from './prepared-message.js';
import type { CloseReason, ReadyState, SendCallback, SessionConsumer, SocketEvents } from './socket-types.js';
import type { Transport, TransportOwner } from './transports/transport.js';
import { UpgradeAttempt } from './upgrade.js';

const debug = createDebug('switchboard:engine:socket');

/** An Engine.IO session, as engine.io's `Socket`: emits `message`/`data`, `close`, `upgrade`, `heartbeat` and more. */
export class Socket extends EventEmitter<SocketEvents> implements TransportOwner {
  /** The session id (`sid`). */
  readonly id: string;
  /** The engine `Server` this session belongs to. */
  readonly server: Emitter;
  /**
   * The handshake request itself, as engine.io keeps it: what `server.use()` middlewares set on it (`req.session`,
   * `req.user`) is there for the layers above, and `_query` holds its parsed query.
   */
  readonly request: EngineRequest;
  /** The peer address of the handshake, read at once: a closed socket forgets its address. */
  readonly remoteAddress: string | undefined;
  /** Engine.IO protocol revision the client speaks. */
  readonly protocol: 3 | 4;
  readyState: ReadyState = 'opening';
  transport: Transport;
  upgrading = false;
  upgraded = false;
  /** Packets waiting for the batched flush (or for a polling GET). */
  writeBuffer: OutgoingPacket[] = [];
  /** @internal */
  readonly heartbeat: Heartbeat;
  /** The layer above, called before `data` and `close` listeners; see `SessionConsumer`. */
  consumer: SessionConsumer | undefined = undefined;
  readonly #runtime: SessionRuntime<Socket>;
  #sendCallbacks: SendCallback[] | undefined;
  #flushScheduled = false;
  #upgrade: UpgradeAttempt | undefined;
  /** What `writeBuffer` weighs, per `packetBytes`. */
  #writeBufferBytes = 0;
  /** Set while the session is over maxBufferedBytes. */
  #overflow: BufferOverflow | undefined;

  constructor(
    id: string,
    runtime: SessionRuntime<Socket>,
    transport: Transport,
    request: EngineRequest,
    protocol: 3 | 4,
  ) {
    super();
    // Node's EventEmitter allocates a listener dictionary up front (~180 B); its methods all accept
    // `_events === undefined` and create it on the first `on()`. The Socket.IO layer is a `consumer`, not a listener,
    // so most sessions never need it.
    (this as unknown as { _events: undefined })._events = undefined;
    this.id = id;
    this.server = runtime.server;
    this.#runtime = runtime;
    this.request = request;
    this.remoteAddress = request.socket.remoteAddress;
    this.protocol = protocol;
    this.transport = transport;
    transport.owner = this;
    this.heartbeat = new Heartbeat(this, runtime);
  }

  /**
   * Bytes held for this client: packets not yet handed to the transport plus what its socket has not sent. Past the
   * `maxBufferedBytes` option, volatile packets are dropped and writes wait for `drain`.
   */
  get bufferedBytes(): number {
    return this.#writeBufferBytes + this.transport.bufferedBytes;
  }

  /**
   * Handshake steps 1-3: 1. queue the open packet with the session parameters, 2. queue `initialPacket` if set,
   * 3. start the heartbeat (v4: we ping; v3: we wait for the client's ping).
   * @internal
   */
  open(): void {
    const { options } = this.#runtime;
    this.readyState = 'open';
    this.sendPacket('open', openPacketJson(this.id, this.availableUpgrades(), options));
    if (options.initialPacket !== undefined) this.sendPacket('message', options.initialPacket);
    this.emit('open');
    this.heartbeat.start();
  }

  /** Transports the client may upgrade to from the current one. */
  availableUpgrades(): string[] {
    const allowed = this.#runtime.options.transports as readonly string[];
    return this.#runtime.upgradesFrom(this.transport.name).filter((name) => allowed.includes(name));
  }

  /** Sends a message (text or binary); `callback` runs once it is written to the socket. */
  send(data: string | Uint8Array, options?: SendOptions | SendCallback, callback?: SendCallback): this {
    this.sendPacket('message', data, options, callback);
    return this;
  }

  /** Alias of `send`. */
  write(data: string | Uint8Array, options?: SendOptions | SendCallback, callback?: SendCallback): this {
    this.sendPacket('message', data, options, callback);
    return this;
  }

  /** Sends a message encoded once for many sessions; see `PreparedMessage`. */
  sendPrepared(message: PreparedMessage, options?: { volatile?: boolean }): void {
    if (this.readyState !== 'open' && this.readyState !== 'opening') return;
    const volatile = options?.volatile === true;
    if (volatile && this.#isOverBound()) return;
    const packet: OutgoingPacket = {
      type: 'message',
      data: message.data,
      options: packetOptions({ compress: message.compress, volatile }),
      prepared: message,
    };
    // Listeners such as the admin UI's traffic counters see prepared messages like any other.
    this.emit('packetCreate', packet);
    this.#queue(packet);
  }

  /** Queues any packet type; `send` is this with `message`. */
  sendPacket(
    type: EnginePacketType,
    data?: string | Uint8Array,
    options?: SendOptions | SendCallback,
    callback?: SendCallback,
  ): void {
    if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    if (this.readyState === 'closing' || this.readyState === 'closed') return;
    if (options?.volatile === true && this.#isOverBound()) {
      debug('dropping a volatile packet for %s: over maxBufferedBytes', this.id);
      return;
    }
    const packet: OutgoingPacket = { type, options: packetOptions(options) };
    if (data !== undefined) packet.data = data;
    this.emit('packetCreate', packet);
    if (callback !== undefined) (this.#sendCallbacks ??= []).push(callback);
    this.#queue(packet);
  }

  #queue(packet: OutgoingPacket): void {
    const wasOverBound = this.#isOverBound();
    // Most flushes carry one packet: a one-slot array, where pushing onto the empty one would allocate sixteen.
    if (this.writeBuffer.length === 0) this.writeBuffer = [packet];
    else this.writeBuffer.push(packet);
    this.#writeBufferBytes += packetBytes(packet);
    // A single large message on a connection that keeps up is fine; piling up behind a slow client is not.
    if (wasOverBound) this.#checkBound();
    this.#requestFlush();
  }

  #isOverBound(): boolean {
    return this.bufferedBytes > this.#runtime.options.maxBufferedBytes;
  }

  #checkBound(): void {
    this.#overflow = trackOverflow(this, this.#overflow, this.#runtime.options);
  }

  /** @internal Over the hard cap: volatile packets are the first to go. */
  dropQueuedVolatile(): void {
    const kept = this.writeBuffer.filter((packet) => packet.options.volatile !== true);
    if (kept.length === this.writeBuffer.length) return;
    debug('dropping %d queued volatile packets for %s', this.writeBuffer.length - kept.length, this.id);
    this.writeBuffer = kept;
    this.#writeBufferBytes = 0;
    for (const packet of kept) this.#writeBufferBytes += packetBytes(packet);
  }

  #requestFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    this.#runtime.scheduleFlush(this);
  }

  /** Hands the write buffer to the transport if it can take it; runs once the callback that queued packets is done. */
  flush(): void {
    this.#flushScheduled = false;
    if (this.readyState === 'closed' || this.writeBuffer.length === 0 || !this.transport.canFlush()) return;
    // Back-pressure: while the socket holds more than the bound, packets wait here (where volatile ones can still be
    // dropped) until it drains.
    if (this.transport.bufferedBytes > this.#runtime.options.maxBufferedBytes) {
      this.transport.awaitDrain();
      this.#checkBound();
      return;
    }
    const packets = this.writeBuffer;
    this.writeBuffer = [];
    this.#writeBufferBytes = 0;
    this.emit('flush', packets);
    this.#runtime.onSessionFlush(this, packets);
    const callbacks = this.#sendCallbacks;
    this.#sendCallbacks = undefined;
    const transport = this.transport;
    this.transport.send(
      packets,
      callbacks === undefined
        ? undefined
        : () => {
            for (const callback of callbacks) callback(transport);
          },
    );
    this.emit('drain');
    this.#runtime.onSessionDrain(this);
    // A drain listener may have closed the session.
    if ((this.readyState as ReadyState) === 'closed') return;
    if (this.transport.bufferedBytes > this.#runtime.options.maxBufferedBytes) this.transport.awaitDrain();
    this.#checkBound();
  }

  /** Closes the session after the write buffer is flushed; `discard` skips the goodbye on a replaced transport. */
  close(discard = false): void {
    if (discard && (this.readyState === 'open' || this.readyState === 'closing')) {
      this.#closeTransport(true);
      return;
    }
    if (this.readyState !== 'open') return;
    this.readyState = 'closing';
    if (this.writeBuffer.length > 0) {
      this.once('drain', () => this.#closeTransport(false));
      return;
    }
    this.#closeTransport(false);
  }

  #closeTransport(discard: boolean): void {
    if (discard) this.transport.discard();
    this.transport.close(() => this.onClose('forced close'));
  }

  /** @internal Ends the session once: timers stop, the transport closes, `close` fires. */
  onClose(reason: CloseReason, description?: Error): void {
    if (this.readyState === 'closed') return;
    if (debug.enabled) debug('session %s closed: %s', this.id, reason);
    this.readyState = 'closed';
    this.heartbeat.stop();
    this.#upgrade?.cancel();
    this.#overflow?.end();
    this.#overflow = undefined;
    // A client that stopped answering or reading will not answer a goodbye either.
    this.#detachTransport(reason === 'ping timeout' || reason === 'transport buffer full');
    this.#sendCallbacks = undefined;
    this.#runtime.removeSession(this);
    // Listeners of 'close' may still read what was never sent; drop it afterwards.
    process.nextTick(() => {
      this.writeBuffer = [];
      this.#writeBufferBytes = 0;
    });
    const consumer = this.consumer;
    this.consumer = undefined;
    consumer?.onSessionClose(reason, description);
    this.emit('close', reason, description);
  }

  #detachTransport(terminate = false): void {
    const transport = this.transport;
    transport.owner = undefined;
    if (terminate) transport.terminate();
    else transport.close();
  }

  /** @internal */
  onTransportPacket(transport: Transport, packet: EnginePacket): void {
    if (transport !== this.transport) {
      this.#upgrade?.onPacket(transport, packet);
      return;
    }
    if (this.readyState !== 'open' && this.readyState !== 'closing') return;
    this.emit('packet', packet);
    switch (packet.type) {
      case 'ping':
        if (this.heartbeat.onPing()) this.emit('heartbeat');
        else this.#rejectHeartbeat();
        break;
      case 'pong':
        if (this.heartbeat.onPong()) this.emit('heartbeat');
        else this.#rejectHeartbeat();
        break;
      case 'message': {
        this.heartbeat.onActivity();
        // Node users (and socket.io) expect binary messages as Buffers; the view shares the decoded bytes.
        const raw = packet.data ?? '';
        const data =
          typeof raw === 'string' || Buffer.isBuffer(raw)
            ? raw
            : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
        this.consumer?.onSessionData(data);
        this.emit('data', data);
        this.emit('message', data);
        break;
      }
      default:
        this.heartbeat.onActivity();
        break;
    }
  }

  #rejectHeartbeat(): void {
    const error = new EngineError(EngineErrorCode.HEARTBEAT_DIRECTION, 'invalid heartbeat direction');
    this.onClose('transport error', error);
  }

  /** @internal */
  onTransportError(transport: Transport, error: EngineError, parse: boolean): void {
    if (transport !== this.transport) {
      this.#upgrade?.cancel();
      return;
    }
    // Bad input from a peer must never throw: 'error' is only reported to those who listen for it.
    if (this.listenerCount('error') > 0) this.emit('error', error);
    this.onClose(parse ? 'parse error' : 'transport error', error);
  }

  /** @internal */
  onTransportClose(transport: Transport): void {
    if (transport !== this.transport) {
      this.#upgrade?.cancel();
      return;
    }
    this.onClose('transport close');
  }

  /** @internal */
  onTransportReady(transport: Transport): void {
    if (transport !== this.transport) return;
    // A GET that arrives after the upgrade probe must not hang: answer it (with a noop when nothing is queued).
    if (this.#upgrade?.probed === true && this.writeBuffer.length === 0) {
      transport.send([{ type: 'noop', options: {} }]);
      return;
    }
    // Deferred until the current callback is done, so a response also carries what is sent meanwhile.
    if (this.writeBuffer.length > 0) this.#requestFlush();
  }

  /** @internal The socket sent what it held: held packets go out now, or back-pressure waiters hear `drain`. */
  onTransportDrain(transport: Transport): void {
    if (transport !== this.transport || this.readyState === 'closed') return;
    if (this.writeBuffer.length > 0) {
      this.flush();
      return;
    }
    this.#checkBound();
    this.emit('drain');
    this.#runtime.onSessionDrain(this);
  }

  /** @internal Starts an upgrade to `transport`; the session keeps its current transport until the client confirms. */
  beginUpgrade(transport: Transport): void {
    transport.owner = this;
    this.upgrading = true;
    this.#upgrade = new UpgradeAttempt(this, transport, this.#runtime.options.upgradeTimeout);
  }

  /** @internal The upgrade finished or failed; `transport` is the new transport when it succeeded. */
  endUpgrade(transport: Transport | undefined): void {
    this.upgrading = false;
    this.#upgrade = undefined;
    if (transport === undefined || this.readyState === 'closed') return;
    const previous = this.transport;
    previous.discard();
    this.#detachTransport();
    this.transport = transport;
    this.upgraded = true;
    this.emit('upgrade', transport);
    debug('session %s upgraded from %s to %s', this.id, previous.name, transport.name);
    this.flush();
    if (this.readyState === 'closing') transport.close(() => this.onClose('forced close'));
  }

  /** @internal The probe succeeded: let the client pause polling by answering any pending GET now. */
  onUpgradeProbed(transport: Transport): void {
    this.emit('upgrading', transport);
    if (this.transport.canFlush()) {
      if (this.writeBuffer.length > 0) this.flush();
      else this.transport.send([{ type: 'noop', options: {} }]);
    }
  }
}
