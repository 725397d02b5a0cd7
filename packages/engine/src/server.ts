// The Engine.IO server, the public facade: verifies requests, runs handshakes, and routes polling requests and
// upgrades to sessions. What sessions share (options, heartbeat wheel, batched flush, session table, transports, the
// `ws` server) lives in its `EngineRuntime`.
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import cors from 'cors';
import createDebug from 'debug';
import { attachServer } from './attach.js';
import type { ConnectionErrorEvent, ServerEvents } from './server-events.js';
import { HandshakeErrorCode, HANDSHAKE_ERROR_MESSAGES } from './errors.js';
import { parseQuery } from './http/handshake-request.js';
import type { EngineRequest, RequestQuery } from './http/handshake-request.js';
import type { Middleware } from './http/middleware.js';
import { runMiddlewares, UpgradeResponse } from './http/middleware.js';
import { abortRequest, abortUpgrade } from './http/respond.js';
import type { Refusal } from './http/verify.js';
import { protocolOf, verifyRequest } from './http/verify.js';
import type { AttachOptions, ResolvedOptions, ServerOptions } from './options.js';
import { EngineRuntime } from './runtime.js';
import { createSessionId } from './session-id.js';
import { Socket } from './socket.js';
import { addUpgradeHeaders } from './transports/websocket-server.js';
import type { TransportDefinition } from './transports/registry.js';
import type { WsSocket } from './transports/ws-engine.js';

const debug = createDebug('switchboard:engine:server');

/**
 * An Engine.IO v4 server with engine.io v6's API.
 * @example
 * const engine = new Server({ pingInterval: 10_000 });
 * engine.attach(httpServer);
 * engine.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
 */
export class Server extends EventEmitter<ServerEvents> {
  /** The HTTP server this engine was last attached to (the one `listen()` created, for instance). */
  httpServer: HttpServer | undefined;
  readonly #runtime: EngineRuntime;
  readonly #attachOptions: AttachOptions;

  constructor(options: ServerOptions = {}) {
    super();
    this.#runtime = new EngineRuntime(this, options);
    const { path, destroyUpgrade, destroyUpgradeTimeout, addTrailingSlash } = options;
    this.#attachOptions = { path, destroyUpgrade, destroyUpgradeTimeout, addTrailingSlash } as AttachOptions;
    if (this.opts.cors !== false) this.use(cors(this.opts.cors));
  }

  /** The resolved options. */
  get opts(): ResolvedOptions {
    return this.#runtime.options;
  }

  /** Open sessions by id. */
  get clients(): Record<string, Socket> {
    return this.#runtime.sessions;
  }

  /** How many sessions are open. */
  get clientsCount(): number {
    return this.#runtime.sessionCount;
  }

  /** Transports a session on `transport` may upgrade to. */
  upgrades(transport: string): string[] {
    return this.#runtime.upgradesFrom(transport);
  }

  /** Adds a Connect-style middleware run before every engine request, upgrades included. */
  use(middleware: Middleware): void {
    this.#runtime.middlewares.push(middleware);
  }

  /** Makes a session id: 20 URL-safe base64 characters. Override it (it may return a promise) for your own ids. */
  generateId(_req: IncomingMessage): string | Promise<string> {
    return createSessionId();
  }

  /** Hooks the engine into `server` under `options.path`; see `attach()`. */
  attach(server: HttpServer, options: AttachOptions = {}): this {
    attachServer(this, server, { ...this.#attachOptions, ...stripUndefined(options) }, this.#runtime.acceptsWebSockets);
    this.httpServer = server;
    return this;
  }

  /** Without middlewares or allowRequest every check of a request is synchronous: no callbacks to allocate for it. */
  get #synchronous(): boolean {
    return this.#runtime.middlewares.length === 0 && this.opts.allowRequest === undefined;
  }

  /** Answers an HTTP request of the Engine.IO endpoint (polling, handshake, or an error). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const query = parseQuery(req);
    if (this.#synchronous) {
      this.#onRequest(req, res, query, this.#verifySync(req, query, false));
      return;
    }
    const proceed = (): void => this.#verify(req, query, false, (refusal) => this.#onRequest(req, res, query, refusal));
    if (this.#runtime.middlewares.length === 0) {
      proceed();
      return;
    }
    runMiddlewares(this.#runtime.middlewares, req, res).then(proceed, () => {
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
    if (this.#runtime.middlewares.length === 0) {
      proceed();
      return;
    }
    const response = new UpgradeResponse(socket);
    addUpgradeHeaders(req, response.headers);
    runMiddlewares(this.#runtime.middlewares, req, response as unknown as ServerResponse).then(proceed, () => {
      this.#refuseUpgrade(req, socket, {
        code: HandshakeErrorCode.BAD_REQUEST,
        context: { name: 'MIDDLEWARE_FAILURE' },
      });
    });
  }

  /** Closes every session ('forced close') and stops accepting WebSockets. */
  close(): this {
    this.#runtime.close();
    return this;
  }

  /** The checks of a request that need no callback: all of them when there is no `allowRequest`. */
  #verifySync(req: IncomingMessage, query: RequestQuery, isUpgrade: boolean): Refusal | undefined {
    const refusal = verifyRequest(req, query, isUpgrade, this.#runtime.verifyRules, this.#runtime.findLiveSession);
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
    const transport = this.#runtime.session(sid)?.transport;
    const definition = transport === undefined ? undefined : this.#runtime.transports.get(transport.name);
    if (transport !== undefined && definition?.arrival === 'request') definition.serve(transport, req, res);
    else
      this.#refuseRequest(req, res, { code: HandshakeErrorCode.BAD_REQUEST, context: { name: 'TRANSPORT_MISMATCH' } });
  }

  #onUpgrade(req: IncomingMessage, query: RequestQuery, socket: Duplex, head: Buffer, refusal?: Refusal): void {
    if (refusal === undefined && this.#runtime.transports.arrivalOf(query['transport']) !== 'websocket') {
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
      this.#runtime
        .webSocketServer()
        .handleUpgrade(req, socket, head, (ws) => this.#onWebSocket(req, query, socket, ws));
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
    const session = this.#runtime.session(sid);
    const definition = this.#runtime.transports.get(query['transport'] ?? '');
    // One upgrade per session, to a transport its current one may upgrade to: a second WebSocket (or one racing an
    // upgrade in progress) is closed, as is any upgrade when allowUpgrades is off.
    if (
      session === undefined ||
      definition === undefined ||
      session.upgrading ||
      session.upgraded ||
      !this.#runtime.upgradesFrom(session.transport.name).includes(definition.name)
    ) {
      debug('refusing a second WebSocket for %s', sid);
      ws.close();
      return;
    }
    const init = { sessionId: sid, protocol: session.protocol, supportsBinary, ws, rawSocket };
    session.beginUpgrade(definition.create(this.#runtime, init));
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

  #refuseHandshake(
    req: IncomingMessage,
    res: ServerResponse | undefined,
    ws: WsSocket | undefined,
    error: unknown,
  ): void {
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
    // Verification let only offered, registered transports through, and a WebSocket one only with its sockets.
    const definition = this.#runtime.transports.get(query['transport'] ?? '') as TransportDefinition;
    const transport = definition.create(this.#runtime, { sessionId: id, protocol, supportsBinary, ws, rawSocket });
    const socket = new Socket(id, this.#runtime, transport, req as EngineRequest, protocol);
    this.#runtime.addSession(socket);
    socket.open();
    if (res !== undefined && definition.arrival === 'request') definition.serve(transport, req, res);
    // Guarded: even a disabled debug call gathers its arguments into an array, on every handshake.
    if (debug.enabled) debug('session %s opened over %s (EIO %d)', id, transport.name, protocol);
    this.emit('connection', socket);
    socket.flush();
  }

  #emitConnectionError(req: IncomingMessage, refusal: Refusal): void {
    const message =
      typeof refusal.context['message'] === 'string'
        ? refusal.context['message']
        : HANDSHAKE_ERROR_MESSAGES[refusal.code];
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
