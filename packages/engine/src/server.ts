// The Engine.IO server: verifies requests, runs handshakes, routes polling requests and upgrades to sessions, and
// owns the services every session shares (heartbeat wheel, batched flush, the `ws` server).
import { EventEmitter } from 'node:events';
import type { IncomingMessage, OutgoingHttpHeaders, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import cors from 'cors';
import createDebug from 'debug';
import { attachServer } from './attach.js';
import type { ConnectionErrorEvent, ServerEvents } from './server-events.js';
import type { EngineContext, Flushable, OutgoingPacket } from './context.js';
import type { HandshakeErrorCodeValue } from './errors.js';
import { HandshakeErrorCode, HANDSHAKE_ERROR_MESSAGES } from './errors.js';
import { serializeCookie } from './http/cookie.js';
import { HandshakeRequest, parseQuery } from './http/handshake-request.js';
import type { RequestQuery } from './http/handshake-request.js';
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
  #flushQueue: Flushable[] = [];
  #flushPending = false;
  readonly #runFlush = (): void => {
    this.#flushPending = false;
    const queue = this.#flushQueue;
    this.#flushQueue = [];
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
    const { pingInterval, pingTimeout, clock } = this.opts;
    // Deadlines fire at most one tick late: a tenth of the shorter heartbeat period, between 5 ms and 1 s.
    const tickMs = Math.min(1000, Math.max(5, Math.floor(Math.min(pingInterval, pingTimeout) / 10)));
    this.wheel = new TimerWheel(clock, tickMs);
    if (this.opts.cors !== false) this.use(cors(this.opts.cors) as unknown as Middleware);
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

  /** Answers an HTTP request of the Engine.IO endpoint (polling, handshake, or an error). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const query = parseQuery(req);
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
    this.#flushQueue.push(target);
    if (this.#flushPending) return;
    this.#flushPending = true;
    // A microtask, not setImmediate: everything sent while handling one I/O callback (a read with several frames, a
    // broadcast loop, a heartbeat sweep) still leaves together, without waiting for the rest of the poll phase.
    queueMicrotask(this.#runFlush);
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

  #verify(req: IncomingMessage, query: RequestQuery, isUpgrade: boolean, done: (refusal?: Refusal) => void): void {
    const refusal = verifyRequest(req, query, isUpgrade, this.opts.transports, (sid) =>
      Object.hasOwn(this.clients, sid) ? this.clients[sid] : undefined,
    );
    if (refusal !== undefined || query['sid'] !== undefined) {
      done(refusal);
      return;
    }
    // A handshake: allowRequest first, then the protocol revision, as engine.io orders them. Checking the revision
    // here rather than after the WebSocket handshake lets a WebSocket client get a proper 400.
    const checkProtocol = (): void => {
      const protocol = protocolOf(query);
      if (protocol === 3 && !this.opts.allowEIO3) {
        done({ code: HandshakeErrorCode.UNSUPPORTED_PROTOCOL_VERSION, context: { protocol } });
      } else done();
    };
    if (this.opts.allowRequest === undefined) {
      checkProtocol();
      return;
    }
    this.opts.allowRequest(req, (message, success) => {
      if (success) checkProtocol();
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
      this.#handshake(req, query, (transport) => (transport as PollingTransport).handleRequest(req, res), (r) =>
        this.#refuseRequest(req, res, r),
      );
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
      this.#handshake(
        req,
        query,
        () => undefined,
        (refusal) => {
          this.#emitConnectionError(req, refusal);
          ws.terminate();
        },
        (protocol) => new WebSocketTransport(this, ws, rawSocket, protocol, supportsBinary),
      );
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
   */
  #handshake(
    req: IncomingMessage,
    query: RequestQuery,
    start: (transport: Transport) => void,
    refuse: (refusal: Refusal) => void,
    createWebSocket?: (protocol: 3 | 4) => WebSocketTransport,
  ): void {
    const fail = (error: unknown): void =>
      refuse({ code: HandshakeErrorCode.BAD_REQUEST, context: { name: 'ID_GENERATION_ERROR', error } });
    let id: string | Promise<string>;
    try {
      id = this.generateId(req);
    } catch (error) {
      fail(error);
      return;
    }
    if (typeof id === 'string') this.#openSession(id, req, query, start, createWebSocket);
    else id.then((value) => this.#openSession(value, req, query, start, createWebSocket), fail);
  }

  #openSession(
    id: string,
    req: IncomingMessage,
    query: RequestQuery,
    start: (transport: Transport) => void,
    createWebSocket: ((protocol: 3 | 4) => WebSocketTransport) | undefined,
  ): void {
    const protocol = protocolOf(query);
    const transport = createWebSocket?.(protocol) ?? new PollingTransport(this, protocol, query['b64'] === undefined);
    if (transport instanceof PollingTransport) transport.sessionId = id;
    const socket = new Socket(id, this, this, transport, new HandshakeRequest(req), protocol);
    this.clients[id] = socket;
    this.clientsCount++;
    socket.open();
    start(transport);
    // Guarded: even a disabled debug call gathers its arguments into an array, on every handshake.
    if (debug.enabled) debug('session %s opened over %s (EIO %d)', id, transport.name, protocol);
    this.emit('connection', socket);
    socket.flush();
  }

  #webSocketServer(): WsServer {
    this.#wss ??= createWebSocketServer(this.opts, (headers, req) => {
      if (parseQuery(req)['sid'] === undefined) this.emit('initial_headers', headers, req);
      this.emit('headers', headers, req);
    });
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

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
