// The Manager: one Engine.IO connection shared by the namespaces' sockets, its codec, and reconnection.
import { Socket as Engine, startTimer, type SocketOptions as EngineOptions } from '@switchboard/engine-client';
import { Emitter, type Packet } from '@switchboard/protocol';
import createDebug from 'debug';
import { Backoff } from './backoff.js';
import { Decoder, Encoder } from './default-codec.js';
// Codes are written as literals (checked against ClientErrorCodeValue) so bundles need not ship the code table.
import { ClientError } from './errors.js';
import { subscribe } from './on.js';
import { Socket, type DisconnectDescription, type SocketOptions } from './socket.js';
import type { DefaultEventsMap, EventsMap } from './typed-events.js';

/** A socket.io-parser shaped codec: `parser.Encoder` and `parser.Decoder` classes. */
export interface Parser {
  Encoder: new () => { encode(packet: Packet): Array<string | Uint8Array> };
  Decoder: new () => ParserDecoder;
}

/** A decoder emits 'decoded' with each packet, and 'error' (ours) or throws (socket.io-parser's) on bad input. */
interface ParserDecoder {
  add(chunk: string | Uint8Array): void;
  destroy(): void;
  on(event: 'decoded', listener: (packet: Packet) => void): unknown;
}

/** Options of a Manager: the Engine.IO options plus multiplexing, reconnection and codec. */
export interface ManagerOptions extends EngineOptions {
  /** Always create a new Manager instead of reusing a cached one. @default false */
  forceNew: boolean;
  /** Share one Manager among sockets to the same origin and path. @default true */
  multiplex: boolean;
  /** Path the server listens on. @default '/socket.io' */
  path: string;
  /** Reconnect automatically. @default true */
  reconnection: boolean;
  /** Attempts before `reconnect_failed`. @default Infinity */
  reconnectionAttempts: number;
  /** First delay between attempts, doubled each time. @default 1000 */
  reconnectionDelay: number;
  /** Cap on the delay between attempts. @default 5000 */
  reconnectionDelayMax: number;
  /** Random spread of each delay, 0..1. @default 0.5 */
  randomizationFactor: number;
  /** Milliseconds for the Engine.IO connection to open, or false for no limit. @default 20000 */
  timeout: number | false;
  /** Connect as soon as created. @default true */
  autoConnect: boolean;
  /** A custom socket.io-parser shaped codec. @default the built-in Socket.IO v5 codec */
  parser: Parser;
}

/** Events a Manager emits. */
// A type alias, not an interface: the Emitter needs the implicit index signature.
export type ManagerReservedEvents = {
  open: () => void;
  error: (err: Error) => void;
  ping: () => void;
  packet: (packet: Packet) => void;
  close: (reason: string, description?: DisconnectDescription) => void;
  reconnect_failed: () => void;
  reconnect_attempt: (attempt: number) => void;
  reconnect_error: (err: Error) => void;
  reconnect: (attempt: number) => void;
};

/** Packets the sockets hand to the Manager, with per-packet transport options. */
export type OutgoingPacket = Packet & { options?: { compress?: boolean } };

const defaultParser: Parser = { Encoder, Decoder };

// Calls sit behind `DEBUG:` labels, which the browser build drops (scripts/build-browser.mjs).
const debug = /* @__PURE__ */ createDebug('switchboard:client:manager');

/**
 * Owns the Engine.IO connection that the sockets of several namespaces share, and reconnects it.
 * @example
 * const manager = new Manager('https://example.com', { reconnectionDelayMax: 10000 });
 * const admin = manager.socket('/admin', { auth: { token: 'x' } });
 */
export class Manager<
  // Kept for socket.io-client compatibility: a typed Manager hands out typed sockets.
  _ListenEvents extends EventsMap = DefaultEventsMap,
  _EmitEvents extends EventsMap = _ListenEvents,
> extends Emitter<ManagerReservedEvents> {
  /** The current Engine.IO connection (replaced on each reconnection). */
  declare engine: Engine;
  /** Options as given, with `path` filled in. */
  declare readonly opts: Partial<ManagerOptions>;
  /** @internal read by sockets */ readyState_: 'opening' | 'open' | 'closed' = 'closed';
  /** @internal read by sockets */ reconnecting_ = false;
  /** @internal read by sockets */ readonly autoConnect_: boolean;
  readonly #uri: string;
  readonly #nsps = new Map<string, Socket>();
  readonly #backoff: Backoff;
  readonly #parser: Parser;
  readonly #encoder: InstanceType<Parser['Encoder']>;
  #decoder: ParserDecoder | undefined;
  #subs: Array<() => void> = [];
  #reconnection: boolean;
  #attempts: number;
  #timeout: number | false;
  #skipReconnect = false;

  constructor(opts?: Partial<ManagerOptions>);
  constructor(uri?: string, opts?: Partial<ManagerOptions>);
  constructor(uri?: string | Partial<ManagerOptions>, opts?: Partial<ManagerOptions>) {
    super();
    if (typeof uri === 'object') [uri, opts] = [undefined, uri];
    this.opts = opts = { ...opts, path: opts?.path ?? '/socket.io' };
    this.#uri = uri ?? '';
    this.#reconnection = opts.reconnection !== false;
    this.#attempts = opts.reconnectionAttempts ?? Infinity;
    this.#backoff = new Backoff(
      opts.reconnectionDelay ?? 1000,
      opts.reconnectionDelayMax ?? 5000,
      opts.randomizationFactor ?? 0.5,
    );
    this.#timeout = opts.timeout ?? 20000;
    this.#parser = opts.parser ?? defaultParser;
    this.#encoder = new this.#parser.Encoder();
    this.autoConnect_ = opts.autoConnect !== false;
    if (this.autoConnect_) this.open();
  }

  /** Whether to reconnect automatically (getter without argument, setter with). */
  reconnection(): boolean;
  reconnection(value: boolean): this;
  reconnection(value?: boolean): this | boolean {
    if (value === undefined) return this.#reconnection;
    this.#reconnection = value;
    if (!value) this.#skipReconnect = true;
    return this;
  }

  /** Attempts before giving up (getter without argument, setter with). */
  reconnectionAttempts(): number;
  reconnectionAttempts(value: number): this;
  reconnectionAttempts(value?: number): this | number {
    if (value === undefined) return this.#attempts;
    this.#attempts = value;
    return this;
  }

  /** First reconnection delay in ms (getter without argument, setter with). */
  reconnectionDelay(): number;
  reconnectionDelay(value: number): this;
  reconnectionDelay(value?: number): this | number {
    if (value === undefined) return this.#backoff.minMs_;
    this.#backoff.minMs_ = value;
    return this;
  }

  /** Maximum reconnection delay in ms (getter without argument, setter with). */
  reconnectionDelayMax(): number;
  reconnectionDelayMax(value: number): this;
  reconnectionDelayMax(value?: number): this | number {
    if (value === undefined) return this.#backoff.maxMs_;
    this.#backoff.maxMs_ = value;
    return this;
  }

  /** Random spread of the delays, 0..1 (getter without argument, setter with). */
  randomizationFactor(): number;
  randomizationFactor(value: number): this;
  randomizationFactor(value?: number): this | number {
    if (value === undefined) return this.#backoff.jitter_;
    this.#backoff.jitter_ = value;
    return this;
  }

  /** Connection timeout in ms, or false (getter without argument, setter with). */
  timeout(): number | false;
  timeout(value: number | false): this;
  timeout(value?: number | false): this | number | false {
    if (value === undefined) return this.#timeout;
    this.#timeout = value;
    return this;
  }

  /** Opens the Engine.IO connection; `callback` gets an error when it fails. */
  open(callback?: (err?: Error) => void): this {
    if (this.readyState_ !== 'closed') return this;
    DEBUG: debug('opening %s', this.#uri);
    const engine = (this.engine = new Engine(this.#uri, this.opts));
    this.readyState_ = 'opening';
    this.#skipReconnect = false;
    const onFail = (err: Error): void => {
      DEBUG: debug('connect error: %s', err.message);
      this.#cleanup();
      this.readyState_ = 'closed';
      this.emit('error', err);
      if (callback) callback(err);
      // Only the first failure starts the reconnection loop; later ones are handled by the loop itself.
      else if (!this.reconnecting_ && this.#reconnection && this.#backoff.attempts_ === 0) this.#reconnect();
    };
    this.#sub(engine, 'open', () => {
      DEBUG: debug('open');
      this.#onOpen();
      callback?.();
    });
    this.#sub(engine, 'error', onFail);
    if (this.#timeout !== false) {
      this.#subs.push(
        startTimer(
          () => {
            onFail(new ClientError('SIO_ERR_CONNECT_TIMEOUT', 'timeout'));
            engine.close();
          },
          this.#timeout,
          this.opts,
        ),
      );
    }
    return this;
  }

  /** Alias of `open`. */
  connect(callback?: (err?: Error) => void): this {
    return this.open(callback);
  }

  /** The socket of namespace `nsp` on this connection (created on first use, then reused). */
  socket(nsp: string, opts?: Partial<SocketOptions>): Socket {
    let socket = this.#nsps.get(nsp);
    if (!socket) this.#nsps.set(nsp, (socket = new Socket(this, nsp, opts)));
    else if (this.autoConnect_ && !socket.active) socket.connect();
    return socket;
  }

  /** @internal true when a socket for `nsp` was already handed out. */
  hasNamespace_(nsp: string): boolean {
    return this.#nsps.has(nsp);
  }

  /** @internal a socket left: close the connection when no socket is active any more. */
  destroy_(): void {
    for (const socket of this.#nsps.values()) if (socket.active) return;
    this.close_();
  }

  /** @internal encodes and writes one packet. */
  packet_(packet: OutgoingPacket): void {
    for (const chunk of this.#encoder.encode(packet)) this.engine.send(chunk, packet.options);
  }

  /** @internal closes for good: no reconnection. */
  close_(): void {
    this.#skipReconnect = true;
    this.reconnecting_ = false;
    this.#onClose('forced close');
  }

  #onOpen(): void {
    this.#cleanup();
    this.readyState_ = 'open';
    this.emit('open');
    const engine = this.engine;
    // A fresh decoder per connection: nothing half-received on the old one can leak into the new.
    const decoder = (this.#decoder = new this.#parser.Decoder());
    this.#sub(engine, 'ping', () => this.emit('ping'));
    this.#sub(engine, 'message', (data: string | Uint8Array) => {
      // socket.io-parser shaped decoders throw where ours emits 'error': both end the connection the same way. A
      // listener's exception never lands here: packets reach sockets, and sockets their listeners, through emitters
      // that run every listener behind the user-code boundary.
      try {
        decoder.add(data);
      } catch (err) {
        this.#onClose('parse error', err as Error);
      }
    });
    this.#sub(engine, 'error', (err: Error) => this.emit('error', err));
    this.#sub(engine, 'close', (reason: string, description?: DisconnectDescription) =>
      this.#onClose(reason, description),
    );
    this.#subs.push(
      subscribe(decoder, 'decoded', (packet: Packet) => void this.emit('packet', packet)),
      // Bad bytes from the server: drop this connection (and reconnect), never throw into user code.
      subscribe(decoder, 'error', (err: Error) => this.#onClose('parse error', err)),
    );
  }

  #sub(engine: Engine, event: string, listener: (...args: never[]) => void): void {
    this.#subs.push(subscribe(engine, event, listener));
  }

  #cleanup(): void {
    for (const unsubscribe of this.#subs) unsubscribe();
    this.#subs = [];
    this.#decoder?.destroy();
  }

  #onClose(reason: string, description?: DisconnectDescription): void {
    DEBUG: debug('close (%s)', reason);
    this.#cleanup();
    this.engine?.close();
    this.#backoff.reset();
    this.readyState_ = 'closed';
    this.emit('close', reason, description);
    if (this.#reconnection && !this.#skipReconnect) this.#reconnect();
  }

  #reconnect(): void {
    if (this.reconnecting_ || this.#skipReconnect) return;
    const backoff = this.#backoff;
    if (backoff.attempts_ >= this.#attempts) {
      backoff.reset();
      this.reconnecting_ = false;
      DEBUG: debug('reconnect failed after %d attempts', this.#attempts);
      this.emit('reconnect_failed');
      return;
    }
    this.reconnecting_ = true;
    const stopTimer = startTimer(
      () => {
        if (this.#skipReconnect) return;
        DEBUG: debug('reconnect attempt %d', backoff.attempts_);
        this.emit('reconnect_attempt', backoff.attempts_);
        // A reconnect_attempt listener may have closed the manager.
        if (this.#skipReconnect) return;
        this.open((err) => {
          if (err) {
            DEBUG: debug('reconnect attempt failed: %s', err.message);
            this.reconnecting_ = false;
            this.#reconnect();
            this.emit('reconnect_error', err);
          } else {
            const attempts = backoff.attempts_;
            DEBUG: debug('reconnected after %d attempts', attempts);
            this.reconnecting_ = false;
            backoff.reset();
            this.emit('reconnect', attempts);
          }
        });
      },
      backoff.duration(),
      this.opts,
    );
    this.#subs.push(stopTimer);
  }
}
