// The Engine.IO server: verifies requests, runs handshakes, routes polling requests and upgrades to sessions, and
// owns the services every session shares (heartbeat wheel, batched flush, the `ws` server).
import { EventEmitter } from 'node:events';
import type { IncomingMessage, OutgoingHttpHeaders, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import cors from 'cors';
import createDebug from 'debug';
import { attachServer } from './attach.js';
import type { ConnectionErrorEvent, ServerEvents } from './server-events.js';
import type { EngineContext, Flushable } from './context.js';
import { HandshakeErrorCode, HANDSHAKE_ERROR_MESSAGES } from './errors.js';
import { serializeCookie } from './http/cookie.js';
import { parseQuery } from './http/handshake-request.js';
import type { EngineRequest, RequestQuery } from './http/handshake-request.js';
import type { Middleware } from './http/middleware.js';
import { runMiddlewares, UpgradeResponse } from './http/middleware.js';
import { abortRequest, abortUpgrade } from './http/respond.js';
import type { Refusal } from './http/verify.js';
import { protocolOf, verifyRequest } from './http/verify.js';
import type { AttachOptions, ResolvedOptions, ServerOptions } from './options.js';
import { resolveOptions } from './options.js';
import { createSessionId } from './session-id.js';
import { Socket } from './socket.js';
import { TimerWheel } from './timer-wheel.js';
import { PollingTransport } from './transports/polling.js';
import type { Transport } from './transports/transport.js';
import { WebSocketTransport } from './transports/websocket.js';
import { addUpgradeHeaders, createWebSocketServer } from './transports/websocket-server.js';
import type { WsServer, WsSocket } from './transports/ws-engine.js';

const debug = createDebug('switchboard:engine:server');

const SETTLED = Promise.resolve();

function rethrow(error: unknown): never {
  throw error;
}

/**
 * An Engine.IO v4 server with engine.io v6's API.
 * @example
 * const engine = new Server({ pingInterval: 10_000 });
 * engine.attach(httpServer);
 * engine.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
 */
export class Server extends EventEmitter<ServerEvents> implements EngineContext {
  /** The resolved options. */
  readonly opts: ResolvedOptions;
  /** Open sessions by id. */
  readonly clients: Record<string, Socket> = Object.create(null) as Record<string, Socket>;
  clientsCount = 0;
  /** The HTTP server this engine was last attached to (the one `listen()` created, for instance). */
  httpServer: HttpServer | undefined;
  /** @internal */
  readonly wheel: TimerWheel;
  readonly #attachOptions: AttachOptions;
  readonly #middlewares: Middleware[] = [];
  #wss: WsServer | undefined;
  /** Sessions waiting for the flush scheduled this turn; undefined when none is scheduled. */
  #flushQueue: Flushable[] | undefined;
  readonly #runFlush = (): void => {
    const queue = this.#flushQueue;
    this.#flushQueue = undefined;
    if (queue === undefined) return;
    for (const target of queue) {
      // A throwing listener (of 'flush' or 'drain', say) must not strand the sessions queued after it: they still
      // flush, and the error still reaches 'uncaughtException', as it would from a queueMicrotask callback.
      try {
        target.flush();
      } catch (error) {
        process.nextTick(rethrow, error);
      }
    }
  };

  constructor(options: ServerOptions = {}) {
    super();
    this.opts = resolveOptions(options);
    const { path, destroyUpgrade, destroyUpgradeTimeout, addTrailingSlash } = options;
    this.#attachOptions = { path, destroyUpgrade, destroyUpgradeTimeout, addTrailingSlash } as AttachOptions;
    this.wheel = new TimerWheel(this.opts.clock, wheelTickMs(this.opts));
    if (this.opts.cors !== false) this.use(cors(this.opts.cors));
  }

  /** @internal The options as sessions read them. */
  get options(): ResolvedOptions {
    return this.opts;
  }

  /** Transports a session on `transport` may upgrade to. */
  upgrades(transport: string): string[] {
    return this.opts.allowUpgrades && transport === 'polling' ? ['websocket'] : [];
  }

  /** Adds a Connect-style middleware run before every engine request, upgrades included. */
  use(middleware: Middleware): void {
    this.#middlewares.push(middleware);
  }

  /** Makes a session id: 20 URL-safe base64 characters. Override it (it may return a promise) for your own ids. */
  generateId(_req: IncomingMessage): string | Promise<string> {
    return createSessionId();
  }

  /** Hooks the engine into `server` under `options.path`; see `attach()`. */
  attach(server: HttpServer, options: AttachOptions = {}): this {
    attachServer(this, server, { ...this.#attachOptions, ...stripUndefined(options) });
    this.httpServer = server;
    return this;
  }

  /** Without middlewares or allowRequest every check of a request is synchronous: no callbacks to allocate for it. */
  get #synchronous(): boolean {
    return this.#middlewares.length === 0 && this.opts.allowRequest === undefined;
  }

  /** Answers an HTTP request of the Engine.IO endpoint (polling, handshake, or an error). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const query = parseQuery(req);
    if (this.#synchronous) {
      this.#onRequest(req, res, query, this.#verifySync(req, query, false));
      return;
    }
    const proceed = (): void => this.#verify(req, query, false, (refusal) => this.#onRequest(req, res, query, refusal));
    if (this.#middlewares.length === 0) {
      proceed();
      return;
    }
    runMiddlewares(this.#middlewares, req, res).then(proceed, () => {
      this.#refuseRequest(req, res, { code: HandshakeErrorCode.BAD_REQUEST, context: { name: 'MIDDLEWARE_FAILURE' } });
    });
  }

  /** Answers an HTTP upgrade to the Engine.IO endpoint: a new WebSocket session or a session's upgrade. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const query = parseQuery(req);
    if (this.#synchronous) {
      this.#onUpgrade(req, query, socket, head, this.#verifySync(req, query, true));
      return;
    }
    const proceed = (): void =>
      this.#verify(req, query, true, (refusal) => this.#onUpgrade(req, query, socket, head, refusal));
    if (this.#middlewares.length === 0) {
      proceed();
      return;
    }
    const response = new UpgradeResponse(socket);
    addUpgradeHeaders(req, response.headers);
    runMiddlewares(this.#middlewares, req, response as unknown as ServerResponse).then(proceed, () => {
      this.#refuseUpgrade(req, socket, { code: HandshakeErrorCode.BAD_REQUEST, context: { name: 'MIDDLEWARE_FAILURE' } });
    });
  }

  /** Closes every session ('forced close') and stops accepting WebSockets. */
  close(): this {
    for (const id of Object.keys(this.clients)) this.clients[id]?.close(true);
    this.#wss?.close();
    this.#wss = undefined;
    return this;
  }

  /** @internal */
  scheduleFlush(target: Flushable): void {
    if (this.#flushQueue !== undefined) {
      this.#flushQueue.push(target);
      return;
    }
    this.#flushQueue = [target];
    // A microtask, not setImmediate: everything sent while handling one I/O callback (a read with several frames, a
    // broadcast loop, a heartbeat sweep) still leaves together, without waiting for the rest of the poll phase. A
    // reaction to a settled promise rather than queueMicrotask, which wraps every callback in an AsyncResource and a
    // bound function (about 2 µs of a WebSocket connect, which schedules two or three flushes).
    void SETTLED.then(this.#runFlush);
  }

  /** @internal */
  decorateHeaders(headers: OutgoingHttpHeaders, req: IncomingMessage, sessionId: string): void {
    if (parseQuery(req)['sid'] === undefined) {
      const { cookie } = this.opts;
      if (cookie !== false) headers['Set-Cookie'] = [serializeCookie(cookie.name, sessionId, cookie)];
      this.emit('initial_headers', headers, req);
    }
    this.emit('headers', headers, req);
  }

  /** @internal */
  removeClient(socket: Socket): void {
    if (this.clients[socket.id] !== socket) return;
    delete this.clients[socket.id];
    this.clientsCount--;
  }

  // Every request naming a session (polling GET/POST, WebSocket upgrade) looks it up here: one whose heartbeat deadline
  // passed while the shared wheel had not ticked yet is closed first, so the request finds it gone.
  readonly #findSession = (sid: string): Socket | undefined => {
    const session = Object.hasOwn(this.clients, sid) ? this.clients[sid] : undefined;
    if (session === undefined || session.heartbeat.expireIfOverdue()) return undefined;
    return session;
  };

  /** The checks of a request that need no callback: all of them when there is no `allowRequest`. */
  #verifySync(req: IncomingMessage, query: RequestQuery, isUpgrade: boolean): Refusal | undefined {
    const refusal = verifyRequest(req, query, isUpgrade, this.opts, this.#findSession);
    if (refusal !== undefined || query['sid'] !== undefined || this.opts.allowRequest !== undefined) return refusal;
    return this.#checkProtocol(query);
  }

  #checkProtocol(query: RequestQuery): Refusal | undefined {
    const protocol = protocolOf(query);
    return protocol === 3 && !this.opts.allowEIO3
      ? { code: HandshakeErrorCode.UNSUPPORTED_PROTOCOL_VERSION, context: { protocol } }
      : undefined;
  }

  #verify(req: IncomingMessage, query: RequestQuery, isUpgrade: boolean, done: (refusal?: Refusal) => void): void {
    const refusal = this.#verifySync(req, query, isUpgrade);
    const { allowRequest } = this.opts;
    if (refusal !== undefined || query['sid'] !== undefined || allowRequest === undefined) {
      done(refusal);
      return;
    }
    // A handshake: allowRequest first, then the protocol revision, as engine.io orders them. Checking the revision
    // here rather than after the WebSocket handshake lets a WebSocket client get a proper 400.
    allowRequest(req, (message, success) => {
      if (success) done(this.#checkProtocol(query));
      else done({ code: HandshakeErrorCode.FORBIDDEN, context: { message } });
    });
  }

  #onRequest(req: IncomingMessage, res: ServerResponse, query: RequestQuery, refusal?: Refusal): void {
    if (refusal !== undefined) {
      this.#refuseRequest(req, res, refusal);
      return;
    }
    const sid = query['sid'];
    if (sid === undefined) {
      this.#handshake(req, query, res, undefined, undefined);
      return;
    }
    const transport = this.clients[sid]?.transport;
    if (transport instanceof PollingTransport) transport.handleRequest(req, res);
    else this.#refuseRequest(req, res, { code: HandshakeErrorCode.BAD_REQUEST, context: { name: 'TRANSPORT_MISMATCH' } });
  }

  #onUpgrade(req: IncomingMessage, query: RequestQuery, socket: Duplex, head: Buffer, refusal?: Refusal): void {
    if (refusal === undefined && query['transport'] !== 'websocket') {
      refusal = { code: HandshakeErrorCode.BAD_REQUEST, context: { name: 'TRANSPORT_HANDSHAKE_ERROR' } };
    }
    if (refusal !== undefined) {
      this.#refuseUpgrade(req, socket, refusal);
      return;
    }
    // Corked across ws's handshake: when the session opens synchronously, the 101 answer and the open packet leave
    // in one write.
    socket.cork();
    try {
      this.#webSocketServer().handleUpgrade(req, socket, head, (ws) => this.#onWebSocket(req, query, socket, ws));
    } finally {
      socket.uncork();
    }
  }

  #onWebSocket(req: IncomingMessage, query: RequestQuery, rawSocket: Duplex, ws: WsSocket): void {
    const sid = query['sid'];
    const supportsBinary = query['b64'] === undefined;
    if (sid === undefined) {
      this.#handshake(req, query, undefined, ws, rawSocket);
      return;
    }
    const session = Object.hasOwn(this.clients, sid) ? this.clients[sid] : undefined;
    // One WebSocket per session: a second one (or one racing an upgrade in progress) is closed, as is any upgrade
    // when allowUpgrades is off.
    if (
      session === undefined ||
      !this.opts.allowUpgrades ||
      session.upgrading ||
      session.upgraded ||
      session.transport.name === 'websocket'
    ) {
      debug('refusing a second WebSocket for %s', sid);
      ws.close();
      return;
    }
    session.beginUpgrade(new WebSocketTransport(this, ws, rawSocket, session.protocol, supportsBinary));
  }

  /**
   * Handshake steps (after verification, which also checked the protocol revision): 1. a session id is generated
   * (synchronously unless an overridden generateId returns a promise); 2. the transport and session are created and
   * registered; 3. the session queues its open packet; 4. the request is handed to the transport; 5. `connection`
   * fires; 6. the open packet and whatever listeners sent go out at once, in one response or one write.
   * A polling handshake passes its response `res`; a WebSocket one its `ws` and the TCP socket under it.
   */
  #handshake(
    req: IncomingMessage,
    query: RequestQuery,
    res: ServerResponse | undefined,
    ws: WsSocket | undefined,
    rawSocket: Duplex | undefined,
  ): void {
    let id: string | Promise<string>;
    try {
      id = this.generateId(req);
    } catch (error) {
      this.#refuseHandshake(req, res, ws, error);
      return;
    }
    if (typeof id === 'string') this.#openSession(id, req, query, res, ws, rawSocket);
    else {
      id.then(
        (value) => this.#openSession(value, req, query, res, ws, rawSocket),
        (error: unknown) => this.#refuseHandshake(req, res, ws, error),
      );
    }
  }

  #refuseHandshake(req: IncomingMessage, res: ServerResponse | undefined, ws: WsSocket | undefined, error: unknown): void {
    const refusal: Refusal = { code: HandshakeErrorCode.BAD_REQUEST, context: { name: 'ID_GENERATION_ERROR', error } };
    if (res !== undefined) {
      this.#refuseRequest(req, res, refusal);
      return;
    }
    this.#emitConnectionError(req, refusal);
    ws?.terminate();
  }

  #openSession(
    id: string,
    req: IncomingMessage,
    query: RequestQuery,
    res: ServerResponse | undefined,
    ws: WsSocket | undefined,
    rawSocket: Duplex | undefined,
  ): void {
    const protocol = protocolOf(query);
    const supportsBinary = query['b64'] === undefined;
    let transport: Transport;
    if (ws !== undefined && rawSocket !== undefined) {
      transport = new WebSocketTransport(this, ws, rawSocket, protocol, supportsBinary);
    } else {
      const polling = new PollingTransport(this, protocol, supportsBinary);
      polling.sessionId = id;
      transport = polling;
    }
    // `opts.pingInterval`/`pingTimeout` may have been changed since construction (as engine.io allows): the session
    // advertises the current values, so the wheel's resolution must follow them or pings would come too late.
    this.wheel.setTickMs(wheelTickMs(this.opts));
    const socket = new Socket(id, this, this, transport, req as EngineRequest, protocol);
    this.clients[id] = socket;
    this.clientsCount++;
    socket.open();
    // A response comes only with a polling handshake, so the transport is polling.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- see the line above
    if (res !== undefined) (transport as PollingTransport).handleRequest(req, res);
    // Guarded: even a disabled debug call gathers its arguments into an array, on every handshake.
    if (debug.enabled) debug('session %s opened over %s (EIO %d)', id, transport.name, protocol);
    this.emit('connection', socket);
    socket.flush();
  }

  #webSocketServer(): WsServer {
    this.#wss ??= createWebSocketServer(
      this.opts,
      (headers, req) => {
        if (parseQuery(req)['sid'] === undefined) this.emit('initial_headers', headers, req);
        this.emit('headers', headers, req);
      },
      () => this.listenerCount('initial_headers') > 0 || this.listenerCount('headers') > 0,
    );
    return this.#wss;
  }

  #emitConnectionError(req: IncomingMessage, refusal: Refusal): void {
    const message =
      typeof refusal.context['message'] === 'string' ? refusal.context['message'] : HANDSHAKE_ERROR_MESSAGES[refusal.code];
    const event: ConnectionErrorEvent = { req, code: refusal.code, message, context: refusal.context };
    this.emit('connection_error', event);
  }

  #refuseRequest(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
    debug('refusing %s %s: %d', req.method, req.url, refusal.code);
    this.#emitConnectionError(req, refusal);
    const message = refusal.context['message'];
    abortRequest(res, refusal.code, typeof message === 'string' ? message : undefined);
  }

  #refuseUpgrade(req: IncomingMessage, socket: Duplex, refusal: Refusal): void {
    debug('refusing upgrade %s: %d', req.url, refusal.code);
    this.#emitConnectionError(req, refusal);
    const message = refusal.context['message'];
    abortUpgrade(socket, refusal.code, typeof message === 'string' ? message : undefined);
  }
}

/** Deadlines fire at most one tick late: a tenth of the shorter heartbeat period, between 5 ms and 1 s. */
function wheelTickMs({ pingInterval, pingTimeout }: ResolvedOptions): number {
  return Math.min(1000, Math.max(5, Math.floor(Math.min(pingInterval, pingTimeout) / 10)));
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
