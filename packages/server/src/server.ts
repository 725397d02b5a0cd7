// The Socket.IO server: options, attaching to an HTTP server, the namespace registry, and the main namespace's API.
import { createServer, type Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Http2SecureServer, Http2Server } from 'node:http2';
import createDebug from 'debug';
import {
  PreparedMessage,
  Server as EngineServer,
  type AttachOptions,
  type ServerOptions as EngineOptions,
} from '@switchboard/engine';
import type { DecoderOptions, Packet } from '@switchboard/protocol';
import { InMemoryAdapter } from './adapter/in-memory-adapter.js';
import { SessionAwareAdapter } from './adapter/session-aware-adapter.js';
import type { AdapterOption, EncodedPacket, RecoveryOptions } from './adapter/types.js';
import { Client } from './client.js';
import { DeadlineQueue } from './deadline-queue.js';
import type { EngineConnection, EngineLike } from './engine-connection.js';
import { ServerError, ServerErrorCode } from './errors.js';
import { resolveLimits, type LimitOptions, type ServerLimits } from './limits.js';
import { resolveRateLimit, type RateLimit, type RateLimitOptions } from './rate-limit.js';
import { Namespace, type NamespaceMiddleware } from './namespace.js';
import { ParentNamespace, type ParentNspNameMatchFn } from './parent-namespace.js';
import { createEncoder, type ParserEncoder, type SocketParser } from './parser.js';
import { resolveRecoveryOptions } from './recovery.js';
import { attachServeClient } from './serve-client.js';
import { SharedDecoder } from './shared-decoder.js';
import type { Socket } from './socket.js';
import type { DefaultEventsMap, EventsMap, DefaultSocketData } from './typed-events.js';
import { ServerBroadcasts } from './server-broadcasts.js';
import { emitToEachListener } from './user-code.js';

const debug = createDebug('switchboard:server:server');

/** Options of `new Server()`: the Socket.IO ones below plus every Engine.IO option, passed through. */
export interface ServerOptions extends EngineOptions, AttachOptions, LimitOptions {
  /** URL path the server answers under. @default '/socket.io' */
  path: string;
  /** Serve the browser client (`<path>/socket.io.js`, `.min.js`, `.esm.min.js`, maps) from @switchboard/client. @default true */
  serveClient: boolean;
  /**
   * The adapter class each namespace instantiates, or a factory such as `createAdapter(...)` of socket.io's adapters.
   * @default InMemoryAdapter (SessionAwareAdapter with recovery)
   */
  adapter: AdapterOption;
  /** Milliseconds a client may take to join a namespace before its connection is closed. @default 45000 */
  connectTimeout: number;
  /** Restore a client's id, rooms, data and missed packets after a short disconnection. @default undefined (off) */
  connectionStateRecovery: Partial<RecoveryOptions>;
  /** Delete a dynamic child namespace once its last socket left. @default false */
  cleanupEmptyChildNamespaces: boolean;
  /** A socket.io-parser compatible codec (e.g. socket.io-msgpack-parser); clients must use the same. @default ours */
  parser: SocketParser;
  /** A per-socket limit on the packets a client sends (token bucket): drops or disconnects. @default undefined (off) */
  rateLimit: RateLimitOptions;
}

/** An HTTP server the Socket.IO server can attach to. */
export type AttachableServer = HttpServer | HttpsServer | Http2Server | Http2SecureServer;

type NamespaceMatcher = (name: string, auth: Record<string, unknown>, next: (err: Error | null, success: boolean) => void) => void;

/**
 * The Socket.IO server.
 * @example
 * const io = new Server(httpServer, { cors: { origin: '*' } });
 * io.on('connection', (socket) => socket.emit('hello', 'world'));
 */
export class Server<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = DefaultEventsMap,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = DefaultSocketData,
> extends ServerBroadcasts<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
  /** The main namespace, `/`. */
  readonly sockets: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  /** The packet encoder (ours, or the `parser` option's). */
  readonly encoder: ParserEncoder;
  /** Internal: the decoder's limits (`maxAttachments`, `maxDepth`, `maxArguments`). */
  readonly decoderOptions: DecoderOptions;
  /** Internal: what one connection or socket may make the server hold (see limits.ts). */
  readonly limits: ServerLimits;
  /** Internal: the `rateLimit` option checked; undefined when off. */
  readonly rateLimit: RateLimit | undefined;
  /** Internal: the `parser` option, undefined for the built-in codec. */
  readonly parser: SocketParser | undefined;
  /** Internal: decodes every connection's plain text packets (built-in codec only; see shared-decoder.ts). */
  readonly sharedDecoder: SharedDecoder | undefined;
  /** The HTTP server attached to, if any. */
  httpServer: AttachableServer | undefined;
  #engine: EngineServer | undefined;
  readonly #opts: Partial<ServerOptions>;
  #path: string;
  #serveClient: boolean;
  #adapterConstructor: AdapterOption;
  readonly #recovery: RecoveryOptions | undefined;
  /** socket.io's `server.opts`, built once: socket.io-adapter's cluster adapters read it on every message. */
  readonly #socketIoOpts: Readonly<Partial<ServerOptions>>;
  #adapterFailureCount = 0;
  readonly #cleanupEmptyChildNamespaces: boolean;
  #connectTimeoutMs: number;
  readonly #connectDeadlines: DeadlineQueue<Client<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>;
  readonly #namespaces = new Map<string, Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  readonly #parents = new Map<ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>, NamespaceMatcher>();
  readonly #parentsByRegExp = new Map<RegExp, ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  readonly #childParents = new Map<
    Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
  >();

  constructor(opts?: Partial<ServerOptions>);
  constructor(srv?: AttachableServer | number | string, opts?: Partial<ServerOptions>);
  constructor(srv?: AttachableServer | number | string | Partial<ServerOptions>, opts: Partial<ServerOptions> = {}) {
    super();
    if (typeof srv === 'object' && srv !== null && !isHttpServer(srv)) {
      opts = srv;
      srv = undefined;
    }
    this.#opts = opts;
    this.parser = opts.parser;
    this.limits = resolveLimits(opts);
    this.rateLimit = resolveRateLimit(opts.rateLimit);
    this.decoderOptions = this.limits.decoder;
    this.attachmentDeadlines = new DeadlineQueue(this.limits.attachmentTimeoutMs, (client) => client.onAttachmentTimeout());
    this.encoder = createEncoder(opts.parser);
    this.sharedDecoder = opts.parser === undefined ? new SharedDecoder(this.decoderOptions) : undefined;
    this.#path = normalizePath(opts.path ?? '/socket.io');
    this.#serveClient = opts.serveClient !== false;
    this.#connectTimeoutMs = validateTimeout(opts.connectTimeout ?? 45_000);
    this.#connectDeadlines = this.#createDeadlines();
    this.#cleanupEmptyChildNamespaces = opts.cleanupEmptyChildNamespaces === true;
    this.#recovery = resolveRecoveryOptions(opts.connectionStateRecovery);
    this.#adapterConstructor = opts.adapter ?? (this.#recovery !== undefined ? SessionAwareAdapter : InMemoryAdapter);
    const { connectionStateRecovery: _recovery, ...otherOpts } = opts;
    // With socket.io's defaults applied, as socket.io stores them (its SessionAwareAdapter reads the duration).
    this.#socketIoOpts = Object.freeze(
      this.#recovery === undefined ? otherOpts : { ...otherOpts, connectionStateRecovery: { ...this.#recovery } },
    );
    this.sockets = this.of('/');
    if (srv !== undefined) this.attach(srv, opts);
  }

  protected override get mainNamespace(): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    return this.sockets;
  }

  #createDeadlines(): DeadlineQueue<Client<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> {
    // socket.io closes a connection that joined no namespace in time; one shared timer instead of one per client.
    return new DeadlineQueue(this.#connectTimeoutMs, (client) => {
      debug('connection %s joined no namespace within %d ms; closing', client.conn.id, this.#connectTimeoutMs);
      client.close();
    });
  }

  /**
   * The Engine.IO server. Typed as always there, as in socket.io, but undefined until `attach`/`listen`/`bind`:
   * tools such as @socket.io/admin-ui test `if (io.engine)` to wait for it.
   */
  get engine(): EngineServer {
    return this.#engine as EngineServer;
  }

  /**
   * socket.io's internal namespace registry, kept read-only because @socket.io/admin-ui (and other tools built for
   * socket.io) read `io._nsps`. Prefer `io.of(name)`.
   */
  get _nsps(): ReadonlyMap<string, Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> {
    return this.#namespaces;
  }

  /** Internal: connections whose binary packet waits for its attachments (see `attachmentTimeout`). */
  readonly attachmentDeadlines: DeadlineQueue<Client<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>;

  /** Internal: connections waiting for their first namespace. */
  get connectDeadlines(): DeadlineQueue<Client<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> {
    return this.#connectDeadlines;
  }

  /** Internal: the adapter class (or factory) namespaces instantiate. */
  get adapterConstructor(): AdapterOption {
    return this.#adapterConstructor;
  }

  /**
   * @internal socket.io's `server.opts`, for adapters built on socket.io-adapter (they read
   * `connectionStateRecovery`); a frozen copy of the options given, recovery defaults applied.
   */
  get opts(): Readonly<Partial<ServerOptions>> {
    return this.#socketIoOpts;
  }

  /**
   * How many adapter calls failed (threw or rejected) while delivering broadcasts, remote joins and disconnections,
   * or server-side emits, across all namespaces. Each failure is also logged under `DEBUG=switchboard:server:adapter`;
   * the message concerned is lost, the process goes on.
   */
  get adapterFailureCount(): number {
    return this.#adapterFailureCount;
  }

  /** @internal Counts one failed adapter call (see `adapterFailureCount`). */
  countAdapterFailure(): void {
    this.#adapterFailureCount++;
  }

  /** Internal: recovery settings, undefined when off. */
  get recoveryOptions(): RecoveryOptions | undefined {
    return this.#recovery;
  }

  /** Encodes a packet once into messages the engine can write to many connections. */
  encodePrepared(packet: Packet, compress: boolean): EncodedPacket {
    return this.encoder.encode(packet).map((chunk) => new PreparedMessage(chunk, { compress }));
  }

  // --- options (getter when called without argument, setter otherwise, as in socket.io) ------------------------

  serveClient(): boolean;
  serveClient(value: boolean): this;
  serveClient(value?: boolean): this | boolean {
    if (value === undefined) return this.#serveClient;
    this.#serveClient = value;
    return this;
  }

  path(): string;
  path(value: string): this;
  path(value?: string): this | string {
    if (value === undefined) return this.#path;
    this.#path = normalizePath(value);
    return this;
  }

  connectTimeout(): number;
  connectTimeout(value: number): this;
  connectTimeout(value?: number): this | number {
    if (value === undefined) return this.#connectTimeoutMs;
    this.#connectTimeoutMs = validateTimeout(value);
    // Connections already waiting keep their deadline, as with socket.io's per-connection timers.
    this.#connectDeadlines.setDelay(this.#connectTimeoutMs);
    return this;
  }

  adapter(): AdapterOption;
  adapter(value: AdapterOption): this;
  adapter(value?: AdapterOption): this | AdapterOption {
    if (value === undefined) return this.#adapterConstructor;
    this.#adapterConstructor = value;
    for (const nsp of this.#namespaces.values()) nsp.resetAdapter();
    return this;
  }

  // --- attaching ------------------------------------------------------------------------------------------------

  /** Attaches to an HTTP server (or creates one listening on `port`). */
  attach(srv: AttachableServer | number | string, opts: Partial<ServerOptions> = {}): this {
    let httpServer: AttachableServer;
    // A port may come as a string (`process.env.PORT`), as socket.io accepts.
    if (typeof srv === 'string') srv = toPort(srv);
    if (typeof srv === 'number') {
      debug('creating an http server on port %d', srv);
      httpServer = createServer((_req, res) => {
        res.writeHead(404);
        res.end();
      });
      httpServer.listen(srv);
    } else {
      httpServer = srv;
    }
    // As socket.io merges them: the constructor's options win over attach()'s.
    const merged: Partial<ServerOptions> = { ...opts, ...this.#opts, path: this.#path };
    const engine = new EngineServer(toEngineOptions(merged));
    engine.attach(httpServer as HttpServer, toEngineOptions(merged));
    if (this.#serveClient) attachServeClient(httpServer as HttpServer, this.#path, merged.cors);
    this.httpServer = httpServer;
    this.bind(engine);
    return this;
  }

  /** Alias of `attach`. */
  listen(srv: AttachableServer | number | string, opts: Partial<ServerOptions> = {}): this {
    return this.attach(srv, opts);
  }

  /** Uses an Engine.IO server created elsewhere: ours, or any engine.io-compatible one (engine.io 6). */
  bind(engine: EngineServer | EngineLike): this {
    this.#engine = engine as EngineServer;
    // Listened to as EngineLike: on the union, `on` has no single signature to call.
    const events: EngineLike = engine;
    events.on('connection', (conn: EngineConnection) => {
      // Guarded: even a disabled debug call gathers its arguments into an array, on every connection.
      if (debug.enabled) debug('engine connection %s', conn.id);
      const client = new Client(this, conn);
      // Socket.IO v2 clients (Engine.IO v3, with `allowEIO3`) are in `/` without asking.
      if (conn.protocol === 3) client.connectImplicitly();
    });
    return this;
  }

  // --- namespaces -----------------------------------------------------------------------------------------------

  /**
   * The namespace `name`, created on first use; a RegExp or function creates a parent of dynamic namespaces.
   * @example
   * io.of(/^\/room-\d+$/).on('connection', (socket) => socket.emit('in', socket.nsp.name));
   */
  of(
    name: string | RegExp | ParentNspNameMatchFn,
    fn?: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void,
  ): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    if (typeof name === 'function' || name instanceof RegExp) {
      const parent = new ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(this);
      if (name instanceof RegExp) {
        const regexp = name;
        this.#parents.set(parent, (nsp, _auth, next) => next(null, regexp.test(nsp)));
        this.#parentsByRegExp.set(regexp, parent);
      } else {
        this.#parents.set(parent, name);
      }
      if (fn !== undefined) parent.on('connect', fn);
      return parent;
    }
    const nspName = name.startsWith('/') ? name : `/${name}`;
    let nsp = this.#namespaces.get(nspName);
    if (nsp === undefined) {
      for (const [regexp, parent] of this.#parentsByRegExp) {
        if (regexp.test(nspName)) {
          nsp = parent.createChild(nspName);
          break;
        }
      }
    }
    if (nsp === undefined) {
      nsp = new Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(this, nspName);
      this.#namespaces.set(nspName, nsp);
      if (nspName !== '/') emitToEachListener(this.sockets, 'new_namespace', [nsp]);
    }
    if (fn !== undefined) nsp.on('connect', fn);
    return nsp;
  }

  /** Internal: an existing namespace, without creating it. */
  getNamespace(name: string): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> | undefined {
    return this.#namespaces.get(name);
  }

  /** Internal: asks each parent namespace in turn whether `name` may be created. */
  checkNamespace(
    name: string,
    auth: Record<string, unknown> | undefined,
    done: (nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> | undefined) => void,
  ): void {
    const candidates = [...this.#parents];
    let index = 0;
    const tryNext = (): void => {
      const candidate = candidates[index++];
      if (candidate === undefined) {
        done(undefined);
        return;
      }
      const [parent, matcher] = candidate;
      let answered = false;
      const next = (err: Error | null, allow: boolean): void => {
        if (answered) return;
        answered = true;
        if (err !== null || !allow) {
          tryNext();
          return;
        }
        done(this.#namespaces.get(name) ?? parent.createChild(name));
      };
      try {
        matcher(name, auth ?? {}, next);
      } catch (err) {
        debug('namespace matcher threw for %s: %o', name, err);
        next(err instanceof Error ? err : new Error(String(err)), false);
      }
    };
    tryNext();
  }

  /** Internal: registers a dynamic child namespace. */
  registerChild(
    child: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    parent: ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  ): void {
    this.#namespaces.set(child.name, child);
    this.#childParents.set(child, parent);
    emitToEachListener(this.sockets, 'new_namespace', [child]);
  }

  /** Internal: a namespace lost its last socket; dynamic children go away with `cleanupEmptyChildNamespaces`. */
  onNamespaceEmpty(nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    const parent = this.#childParents.get(nsp);
    if (parent === undefined || !this.#cleanupEmptyChildNamespaces) return;
    this.#childParents.delete(nsp);
    this.#namespaces.delete(nsp.name);
    parent.removeChild(nsp);
    void Promise.resolve(nsp.adapter.close()).catch((err: unknown) => debug('adapter close failed: %o', err));
  }

  /** Adds a connection middleware to the main namespace. */
  use(fn: NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): this {
    this.sockets.use(fn);
    return this;
  }

  // --- shutdown -------------------------------------------------------------------------------------------------

  /** Disconnects every socket (`server shutting down`), closes adapters, the engine and the HTTP server. */
  async close(fn?: (err?: Error) => void): Promise<void> {
    this.#connectDeadlines.clear();
    await Promise.allSettled(
      [...this.#namespaces.values(), ...this.#parents.keys()].map(async (nsp) => {
        for (const socket of [...nsp.sockets.values()]) socket.client.shutdown();
        await nsp.adapter.close();
      }),
    );
    this.#engine?.close();
    const httpServer = this.httpServer;
    if (httpServer === undefined || !httpServer.listening) {
      fn?.();
      return;
    }
    await new Promise<void>((resolve) => {
      httpServer.close((err?: Error) => {
        fn?.(err);
        resolve();
      });
    });
  }
}

function toPort(value: string): number {
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ServerError(ServerErrorCode.INVALID_OPTION, `a port must be an integer from 0 to 65535, got "${value}"`);
  }
  return port;
}

function isHttpServer(value: object): value is AttachableServer {
  return typeof (value as { listen?: unknown }).listen === 'function';
}

function normalizePath(path: string): string {
  if (typeof path !== 'string' || path.length === 0) {
    throw new ServerError(ServerErrorCode.INVALID_OPTION, `option "path" must be a non-empty string, got ${String(path)}`);
  }
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

function validateTimeout(value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new ServerError(ServerErrorCode.INVALID_OPTION, `option "connectTimeout" must be a non-negative number, got ${String(value)}`);
  }
  return value;
}

/** The options the engine understands: ours stripped, the rest passed through untouched. */
function toEngineOptions(opts: Partial<ServerOptions>): EngineOptions {
  const {
    serveClient: _serveClient,
    adapter: _adapter,
    connectTimeout: _connectTimeout,
    connectionStateRecovery: _connectionStateRecovery,
    cleanupEmptyChildNamespaces: _cleanup,
    parser: _parser,
    maxAttachments: _maxAttachments,
    maxDepth: _maxDepth,
    maxArguments: _maxArguments,
    maxAttachmentBytes: _maxAttachmentBytes,
    attachmentTimeout: _attachmentTimeout,
    maxNamespacesPerConnection: _maxNamespaces,
    maxRoomsPerSocket: _maxRooms,
    maxPendingAcks: _maxPendingAcks,
    rateLimit: _rateLimit,
    ...engineOptions
  } = opts;
  return engineOptions;
}
