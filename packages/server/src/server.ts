// The Socket.IO server: options, attaching to an HTTP server, the namespace registry, and the main namespace's API.
import { createServer, type Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Http2SecureServer, Http2Server } from 'node:http2';
import createDebug from 'debug';
import { Server as EngineServer, type AttachOptions, type ServerOptions as EngineOptions } from '@switchboard/engine';
import { InMemoryAdapter } from './adapter/in-memory-adapter.js';
import { SessionAwareAdapter } from './adapter/session-aware-adapter.js';
import type { AdapterOption, RecoveryOptions } from './adapter/types.js';
import { Client } from './client.js';
import type { EngineConnection, EngineLike } from './engine-connection.js';
import { ServerError, ServerErrorCode } from './errors.js';
import { resolveLimits, type LimitOptions } from './limits.js';
import { resolveRateLimit, type RateLimitOptions } from './rate-limit.js';
import type { Namespace, NamespaceMiddleware } from './namespace.js';
import type { ParentNspNameMatchFn } from './parent-namespace.js';
import { NamespaceRegistry } from './namespace-registry.js';
import type { ParserEncoder, SocketParser } from './parser.js';
import { resolveRecoveryOptions } from './recovery.js';
import { ServerRuntime } from './runtime.js';
import { attachServeClient } from './serve-client.js';
import type { Socket } from './socket.js';
import type { DefaultEventsMap, EventsMap, DefaultSocketData } from './typed-events.js';
import { ServerBroadcasts } from './server-broadcasts.js';

const debug = createDebug('switchboard:server:server');

/** Options of `new Server()`: the Socket.IO ones below plus every Engine.IO option, passed through. */
export interface ServerOptions extends EngineOptions, AttachOptions, LimitOptions {
  /** URL path the server answers under. @default '/socket.io' */
  path: string;
  /** Serve the browser client (`<path>/socket.io.js`, `.min.js`, `.esm.min.js`, maps), from this package's client-dist/. @default true */
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
  /** The HTTP server attached to, if any. */
  httpServer: AttachableServer | undefined;
  #engine: EngineServer | undefined;
  readonly #opts: Partial<ServerOptions>;
  #path: string;
  #serveClient: boolean;
  /** What clients, namespaces and sockets share; this facade owns it and no one reaches back here. */
  readonly #runtime: ServerRuntime<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  readonly #registry: NamespaceRegistry<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  /** socket.io's `server.opts`, built once: socket.io-adapter's cluster adapters read it on every message. */
  readonly #socketIoOpts: Readonly<Partial<ServerOptions>>;

  constructor(opts?: Partial<ServerOptions>);
  constructor(srv?: AttachableServer | number | string, opts?: Partial<ServerOptions>);
  constructor(srv?: AttachableServer | number | string | Partial<ServerOptions>, opts: Partial<ServerOptions> = {}) {
    super();
    if (typeof srv === 'object' && srv !== null && !isHttpServer(srv)) {
      opts = srv;
      srv = undefined;
    }
    this.#opts = opts;
    // Options are checked in the order they always were: limits, path, connectTimeout.
    const limits = resolveLimits(opts);
    const rateLimit = resolveRateLimit(opts.rateLimit);
    this.#path = normalizePath(opts.path ?? '/socket.io');
    this.#serveClient = opts.serveClient !== false;
    const connectTimeoutMs = validateTimeout(opts.connectTimeout ?? 45_000);
    const recovery = resolveRecoveryOptions(opts.connectionStateRecovery);
    const cleanupEmptyChildNamespaces = opts.cleanupEmptyChildNamespaces === true;
    this.#runtime = new ServerRuntime({
      server: this,
      limits,
      parser: opts.parser,
      rateLimit,
      recovery,
      adapter: opts.adapter ?? (recovery !== undefined ? SessionAwareAdapter : InMemoryAdapter),
      connectTimeoutMs,
      createResolver: (runtime) => new NamespaceRegistry(runtime, cleanupEmptyChildNamespaces),
    });
    // The resolver built just above: the facade keeps the registry's wider view (every namespace, the parents).
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- createResolver above built it
    this.#registry = this.#runtime.namespaces as NamespaceRegistry<
      ListenEvents,
      EmitEvents,
      ServerSideEvents,
      SocketData
    >;
    const { connectionStateRecovery: _recovery, ...otherOpts } = opts;
    // With socket.io's defaults applied, as socket.io stores them (its SessionAwareAdapter reads the duration).
    this.#socketIoOpts = Object.freeze(
      recovery === undefined ? otherOpts : { ...otherOpts, connectionStateRecovery: { ...recovery } },
    );
    this.sockets = this.of('/');
    if (srv !== undefined) this.attach(srv, opts);
  }

  protected override get mainNamespace(): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    return this.sockets;
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
    return this.#registry.namespaces;
  }

  /** The packet encoder (ours, or the `parser` option's); socket.io-adapter encodes broadcasts with it. */
  get encoder(): ParserEncoder {
    return this.#runtime.encoder;
  }

  /**
   * Compatibility surface: socket.io's `server.opts`, for adapters built on socket.io-adapter (they read
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
    return this.#runtime.adapterFailureCount;
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
    if (value === undefined) return this.#runtime.connectTimeoutMs;
    this.#runtime.connectTimeoutMs = validateTimeout(value);
    return this;
  }

  adapter(): AdapterOption;
  adapter(value: AdapterOption): this;
  adapter(value?: AdapterOption): this | AdapterOption {
    if (value === undefined) return this.#runtime.adapterFactory;
    this.#runtime.adapterFactory = value;
    for (const nsp of this.#registry.namespaces.values()) nsp.resetAdapter();
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
      const client = new Client(this.#runtime, conn);
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
    const nsp =
      typeof name === 'function' || name instanceof RegExp ? this.#registry.addParent(name) : this.#registry.of(name);
    if (fn !== undefined) nsp.on('connect', fn);
    return nsp;
  }

  /** Internal: an existing namespace, without creating it. */
  getNamespace(name: string): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> | undefined {
    return this.#registry.get(name);
  }

  /** Adds a connection middleware to the main namespace. */
  use(fn: NamespaceMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): this {
    this.sockets.use(fn);
    return this;
  }

  // --- shutdown -------------------------------------------------------------------------------------------------

  /** Disconnects every socket (`server shutting down`), closes adapters, the engine and the HTTP server. */
  async close(fn?: (err?: Error) => void): Promise<void> {
    this.#runtime.connectDeadlines.clear();
    await Promise.allSettled(
      [...this.#registry.namespaces.values(), ...this.#registry.parents].map(async (nsp) => {
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
    throw new ServerError(
      ServerErrorCode.INVALID_OPTION,
      `option "path" must be a non-empty string, got ${String(path)}`,
    );
  }
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

function validateTimeout(value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new ServerError(
      ServerErrorCode.INVALID_OPTION,
      `option "connectTimeout" must be a non-negative number, got ${String(value)}`,
    );
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
