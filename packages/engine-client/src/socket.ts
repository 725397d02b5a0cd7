// The Engine.IO v4 client socket: handshake, heartbeat, the write buffer, the upgrade to WebSocket and close.
import {
  CodecError,
  Emitter,
  ENGINE_PROTOCOL,
  isBinaryLike,
  toUint8Array,
  type EnginePacket,
  type EnginePacketType,
} from '@switchboard/protocol';
import createDebug from 'debug';
import type { TransportError } from './errors.js';
import { takeBatch } from './batch.js';
import {
  resolveOptions,
  type BinaryType,
  type ResolvedOptions,
  type SocketOptions,
  type TransportName,
} from './options.js';
import type { CloseDetails, Transport, TransportFactory } from './transports/transport.js';
import { startTimer } from './timers.js';
import { probeUpgrade } from './upgrade.js';

// Calls sit behind `DEBUG:` labels, which the browser build drops (client/scripts/build-browser.mjs).
const debug = /* @__PURE__ */ createDebug('switchboard:engine-client:socket');

/** The socket's lifecycle: opening until the handshake, open, closing while the buffer drains, closed. */
export type SocketState = 'opening' | 'open' | 'closing' | 'closed';

/** Why the connection ended, spelled as engine.io-client spells it. */
export type CloseReason = 'transport close' | 'transport error' | 'ping timeout' | 'forced close' | 'parse error';

/** A message as received: text, or binary as an ArrayBuffer or (binaryType 'nodebuffer') a Buffer/Uint8Array. */
export type MessageData = string | ArrayBuffer | Uint8Array;

/** What a message may be sent as. */
export type SendData = string | ArrayBuffer | ArrayBufferView;

/** The open packet's JSON. */
export interface HandshakeData {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

// A type alias, not an interface: the emitter needs an implicit index signature.
export type SocketEvents = {
  open: () => void;
  handshake: (data: HandshakeData) => void;
  /** A message's data, as 'message' gets it (engine.io-client emits both; custom parsers measure frames here). */
  data: (data: MessageData) => void;
  message: (data: MessageData) => void;
  close: (reason: CloseReason, description?: CloseDetails | Error) => void;
  error: (err: Error) => void;
  upgrading: (transport: Transport) => void;
  upgrade: (transport: Transport) => void;
  upgradeError: (err: TransportError) => void;
  ping: () => void;
  /** The write buffer is empty. */
  drain: () => void;
  /** A batch of packets was handed to the transport. */
  flush: () => void;
  packet: (packet: EnginePacket) => void;
  packetCreate: (packet: EnginePacket) => void;
  /** Any packet arrived: the server is alive. */
  heartbeat: () => void;
};

/** What an entry point plugs in: its transports and how binary data is handed out. */
export interface Environment {
  transports_: Partial<Record<TransportName, TransportFactory>>;
  binaryType_: BinaryType;
  /** Wraps received bytes for binaryType 'nodebuffer' (a Buffer in Node). */
  toBuffer_: (bytes: Uint8Array) => Uint8Array;
}

/** Options of send(); `compress` is accepted for engine.io-client compatibility. */
export interface SendOptions {
  compress?: boolean | undefined;
}

/** The Engine.IO client socket; each entry point exports it as `Socket` with its own transports. */
export class EngineSocket extends Emitter<SocketEvents> {
  /** The Engine.IO protocol revision spoken. */
  static readonly protocol = ENGINE_PROTOCOL;
  /** True when the last connection opened or upgraded over WebSocket (false after a transport error); with `rememberUpgrade` the next one starts there. */
  static priorWebsocketSuccess = false;

  id: string | null = null;
  readyState: SocketState = 'opening';
  // `declare`: assigned in the constructor, so no separate field definition is emitted (browser bytes).
  declare transport: Transport;
  declare binaryType: BinaryType;
  /** True while the upgrade probe has succeeded and polling is pausing: writes wait in the buffer. */
  upgrading = false;
  writeBuffer: EnginePacket[] = [];
  declare readonly opts: ResolvedOptions;

  #env: Environment;
  #upgrades: TransportName[] = [];
  #pingIntervalMs = 0;
  #pingTimeoutMs = 0;
  #maxPayloadBytes = 0;
  /** How many packets of writeBuffer the transport is writing right now. */
  #inFlight = 0;
  /** Cancels the heartbeat timer, which fires when no ping arrived within pingInterval + pingTimeout. */
  #stopPingTimer: (() => void) | undefined;
  /** When #pingTimer should fire (epoch ms): timers stall while a laptop sleeps or a phone is locked, clocks do not. */
  #pingDeadline = Infinity;
  #onUnload: (() => void) | undefined;

  constructor(env: Environment, uri?: string | SocketOptions | null, opts: SocketOptions = {}) {
    super();
    if (uri !== null && typeof uri === 'object') opts = uri;
    this.#env = env;
    this.binaryType = env.binaryType_;
    this.opts = resolveOptions(
      typeof uri === 'string' ? uri : undefined,
      opts,
      Object.keys(env.transports_) as TransportName[],
    );
    this.#listenToWindow();
    this.#open();
  }

  /** Queues a message; `callback` runs once it is handed to the transport. */
  send(data: SendData, options?: SendOptions | (() => void), callback?: () => void): this {
    if (typeof options === 'function') callback = options;
    this.#sendPacket('message', data, callback);
    return this;
  }

  /** Alias of send(). */
  write(data: SendData, options?: SendOptions | (() => void), callback?: () => void): this {
    return this.send(data, options, callback);
  }

  /** Closes the connection once the write buffer is flushed and any upgrade in progress has settled. */
  close(): this {
    // Closing twice is a no-op, so whichever of 'upgrade' / 'upgradeError' comes second does nothing.
    const close = (): void => this.#onClose('forced close');
    const whenSettled = (): void => {
      if (this.upgrading) this.once('upgrade', close).once('upgradeError', close);
      else close();
    };
    if (this.readyState === 'opening' || this.readyState === 'open') {
      this.readyState = 'closing';
      if (this.writeBuffer.length > 0) this.once('drain', whenSettled);
      else whenSettled();
    }
    return this;
  }

  #open(): void {
    const { transports, rememberUpgrade } = this.opts;
    const name =
      rememberUpgrade && EngineSocket.priorWebsocketSuccess && transports.includes('websocket')
        ? 'websocket'
        : (transports[0] as TransportName);
    this.readyState = 'opening';
    const transport = this.#createTransport(name);
    this.#setTransport(transport);
    transport.open();
  }

  #createTransport(name: TransportName): Transport {
    DEBUG: debug('creating transport "%s"', name);
    const query: Record<string, unknown> = { ...this.opts.query, EIO: ENGINE_PROTOCOL, transport: name };
    if (this.id) query['sid'] = this.id;
    // Per-transport options win over the socket's, as in engine.io-client; the query keeps EIO, transport and sid.
    return (this.#env.transports_[name] as TransportFactory)({
      ...this.opts,
      ...this.opts.transportOptions?.[name],
      query,
    });
  }

  #setTransport(transport: Transport): void {
    this.transport?.off();
    this.transport = transport;
    transport
      .on('drain', () => this.#onDrain())
      .on('packet', (packet) => this.#onPacket(packet))
      .on('error', (err) => this.#onError(err))
      .on('close', (details) => this.#onClose('transport close', details));
  }

  #onPacket(packet: EnginePacket): void {
    if (this.readyState === 'closed') return;
    this.emit('packet', packet);
    this.emit('heartbeat');
    switch (packet.type) {
      case 'open':
        return this.#onHandshake(packet.data);
      case 'ping':
        this.#resetHeartbeat();
        this.#sendPacket('pong');
        this.emit('ping');
        return;
      case 'message': {
        const data = this.#toMessage(packet.data);
        this.emit('data', data);
        return void this.emit('message', data);
      }
      default:
    }
  }

  #onHandshake(json: EnginePacket['data']): void {
    let data: HandshakeData;
    try {
      data = JSON.parse(json as string) as HandshakeData;
    } catch (err) {
      return this.#onClose('parse error', err as Error);
    }
    DEBUG: debug('handshake: sid %s, upgrades %j, pingInterval %d ms', data.sid, data.upgrades, data.pingInterval);
    this.emit('handshake', data);
    this.id = data.sid;
    this.transport.query['sid'] = data.sid;
    this.#upgrades = data.upgrades.filter((name): name is TransportName =>
      this.opts.transports.includes(name as TransportName),
    );
    this.#pingIntervalMs = data.pingInterval;
    this.#pingTimeoutMs = data.pingTimeout;
    this.#maxPayloadBytes = data.maxPayload;
    this.#onOpen();
    if (this.readyState !== 'closed') this.#resetHeartbeat();
  }

  #onOpen(): void {
    this.readyState = 'open';
    EngineSocket.priorWebsocketSuccess = this.transport.name === 'websocket';
    this.emit('open');
    this.#flush();
    // A listener of 'open' may have closed the socket.
    if ((this.readyState as SocketState) !== 'open' || this.opts.upgrade === false || this.transport.name !== 'polling')
      return;
    for (const name of this.#upgrades) this.#probe(name);
  }

  /** Step 4 of the upgrade (steps 1-3 in upgrade.ts): switch, send '5' on the new transport, flush the buffer. */
  #probe(name: TransportName): void {
    DEBUG: debug('probing transport "%s"', name);
    const candidate = this.#createTransport(name);
    probeUpgrade(this, candidate, {
      upgrading_: () => {
        this.upgrading = true;
        this.emit('upgrading', candidate);
      },
      complete_: () => {
        // WebSocket is the only upgrade: remember it worked, for rememberUpgrade.
        DEBUG: debug('upgraded to "%s"', name);
        EngineSocket.priorWebsocketSuccess = true;
        this.#setTransport(candidate);
        candidate.send([{ type: 'upgrade' }]);
        this.emit('upgrade', candidate);
        this.upgrading = false;
        this.#flush();
      },
      failed_: (err) => {
        DEBUG: debug('upgrade to "%s" failed: %s', name, err.message);
        this.upgrading = false;
        this.emit('upgradeError', err);
        this.#flush();
      },
    });
  }

  /**
   * Shared with @switchboard/client (not in the engine.io-client API): true when the ping deadline has passed but its timer has not fired yet (the machine just woke up):
   * the connection is dead, so it closes with 'ping timeout' (in a microtask, after the caller returns).
   * The Socket.IO client asks before each emit and buffers the packet rather than writing it into a dead connection.
   */
  pingExpired_(): boolean {
    const expired = Date.now() > this.#pingDeadline;
    if (expired) queueMicrotask(() => this.#onClose('ping timeout'));
    return expired;
  }

  /** Engine.IO v4: the server pings; silence for pingInterval + pingTimeout means it is gone. */
  #resetHeartbeat(): void {
    this.#stopPingTimer?.();
    const ms = this.#pingIntervalMs + this.#pingTimeoutMs;
    this.#pingDeadline = Date.now() + ms;
    this.#stopPingTimer = startTimer(() => this.#onClose('ping timeout'), ms, this.opts);
  }

  #sendPacket(type: EnginePacketType, data?: SendData, callback?: () => void): void {
    if (this.readyState === 'closing' || this.readyState === 'closed') return;
    const packet: EnginePacket = data === undefined ? { type } : { type, data: toBytes(data) };
    this.emit('packetCreate', packet);
    this.writeBuffer.push(packet);
    if (callback) this.once('flush', callback);
    this.#flush();
  }

  #flush(): void {
    if (this.readyState === 'closed' || !this.transport.writable || this.upgrading || this.writeBuffer.length === 0)
      return;
    const packets = takeBatch(this.writeBuffer, this.transport.name === 'polling' ? this.#maxPayloadBytes : 0);
    DEBUG: debug('flushing %d packets over %s', packets.length, this.transport.name);
    this.transport.send(packets);
    this.#inFlight = packets.length;
    this.emit('flush');
  }

  #onDrain(): void {
    this.writeBuffer.splice(0, this.#inFlight);
    this.#inFlight = 0;
    if (this.writeBuffer.length === 0) this.emit('drain');
    else this.#flush();
  }

  #onError(err: TransportError | CodecError): void {
    if (err instanceof CodecError) return this.#onClose('parse error', err);
    EngineSocket.priorWebsocketSuccess = false;
    const { transports, tryAllTransports } = this.opts;
    if (tryAllTransports && transports.length > 1 && this.readyState === 'opening') {
      transports.shift();
      return this.#open();
    }
    this.emit('error', err);
    this.#onClose('transport error', err);
  }

  #onClose(reason: CloseReason, description?: CloseDetails | Error): void {
    if (this.readyState === 'closed') return;
    DEBUG: debug('close (%s)', reason);
    this.#stopPingTimer?.();
    const transport = this.transport;
    transport.off('close');
    // A silent server or a failed transport will not answer a close packet: drop the connection instead.
    if (reason === 'ping timeout' || reason === 'transport error') transport.abort();
    transport.close();
    transport.off();
    if (this.#onUnload) removeEventListener('beforeunload', this.#onUnload);
    this.readyState = 'closed';
    this.id = null;
    this.emit('close', reason, description);
    this.writeBuffer = [];
    this.#inFlight = 0;
  }

  #toMessage(data: EnginePacket['data']): MessageData {
    // The codec gives a message '' rather than no data, so data is text or bytes here.
    if (data === undefined || typeof data === 'string') return data as string;
    if (this.binaryType !== 'arraybuffer') return this.#env.toBuffer_(data);
    // A copy of exactly these bytes (new Uint8Array(view) copies; a Buffer's slice() would not, and would expose its
    // whole pool); the bytes of one message are few next to the bundle bytes the zero-copy case cost.
    return new Uint8Array(data).buffer;
  }

  /** Browsers, with closeOnBeforeunload: close silently when the page unloads (no 'close' to handle mid-unload). */
  #listenToWindow(): void {
    if (!this.opts.closeOnBeforeunload || typeof addEventListener !== 'function') return;
    this.#onUnload = () => {
      this.transport.off();
      this.transport.close();
    };
    addEventListener('beforeunload', this.#onUnload);
  }
}

/** Binary as the codec's Uint8Array; anything else (numbers from untyped callers) as text, as engine.io-client does. */
function toBytes(data: SendData): string | Uint8Array {
  return isBinaryLike(data) ? toUint8Array(data) : String(data);
}
