// Everything an engine's sessions and transports share: the options, the heartbeat wheel, the batched flush, the
// session table, the transport registry, the middlewares and the `ws` server. The engine `Server` is the public
// facade over one runtime; sessions and transports hold the runtime, not the facade.
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Flushable, OutgoingPacket, SessionRuntime } from './context.js';
import { serializeCookie } from './http/cookie.js';
import { parseQuery } from './http/handshake-request.js';
import type { Middleware } from './http/middleware.js';
import type { VerifyRules } from './http/verify.js';
import type { ResolvedOptions, ServerOptions } from './options.js';
import { resolveOptions } from './options.js';
import type { ServerEvents } from './server-events.js';
import type { Socket } from './socket.js';
import { TimerWheel } from './timer-wheel.js';
import { builtInTransports } from './transports/registry.js';
import type { TransportRegistry } from './transports/registry.js';
import { createWebSocketServer } from './transports/websocket-server.js';
import type { WsServer } from './transports/ws-engine.js';

const SETTLED = Promise.resolve();

function rethrow(error: unknown): never {
  throw error;
}

/** The engine state behind one `Server`; see the file comment. */
export class EngineRuntime implements SessionRuntime<Socket> {
  readonly options: ResolvedOptions;
  /** The one heartbeat timer of the engine. */
  readonly wheel: TimerWheel;
  readonly transports: TransportRegistry;
  /** Open sessions by id; the facade publishes this very record as `clients`. */
  readonly sessions: Record<string, Socket> = Object.create(null) as Record<string, Socket>;
  sessionCount = 0;
  /** Connect-style middlewares run before every engine request, upgrades included. */
  readonly middlewares: Middleware[] = [];
  /** The public server: events go out through it. */
  readonly server: EventEmitter<ServerEvents>;
  /** What `verifyRequest` checks requests against. */
  readonly verifyRules: VerifyRules;
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

  constructor(server: EventEmitter<ServerEvents>, options: ServerOptions, transports = builtInTransports()) {
    this.server = server;
    this.transports = transports;
    this.options = resolveOptions(options, transports.names());
    this.wheel = new TimerWheel(this.options.clock, wheelTickMs(this.options));
    const { isOriginAllowed, bindSessionToAddress } = this.options;
    this.verifyRules = {
      transports: this.options.transports,
      isOriginAllowed,
      bindSessionToAddress,
      arrivalOf: (name) => transports.arrivalOf(name),
    };
  }

  /** Whether any offered transport arrives by WebSocket, i.e. whether HTTP upgrades are for us at all. */
  get acceptsWebSockets(): boolean {
    return this.options.transports.some((name) => this.transports.arrivalOf(name) === 'websocket');
  }

  /** Transports a session on `transport` may upgrade to (before filtering by the `transports` option). */
  upgradesFrom(transport: string): string[] {
    return this.options.allowUpgrades ? this.transports.upgradesFrom(transport) : [];
  }

  /** Queues `target.flush()` for when the current callback (and its microtasks) is done. */
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

  /** Adds the session cookie and what `initial_headers`/`headers` listeners change to a polling response. */
  decorateHeaders(headers: OutgoingHttpHeaders, req: IncomingMessage, sessionId: string): void {
    if (parseQuery(req)['sid'] === undefined) {
      const { cookie } = this.options;
      if (cookie !== false) headers['Set-Cookie'] = [serializeCookie(cookie.name, sessionId, cookie)];
      this.server.emit('initial_headers', headers, req);
    }
    this.server.emit('headers', headers, req);
  }

  onSessionFlush(session: Socket, packets: OutgoingPacket[]): void {
    this.server.emit('flush', session, packets);
  }

  onSessionDrain(session: Socket): void {
    this.server.emit('drain', session);
  }

  /** Registers a session opened by a handshake. */
  addSession(session: Socket): void {
    // `opts.pingInterval`/`pingTimeout` may have been changed since construction (as engine.io allows): the session
    // advertises the current values, so the wheel's resolution must follow them or pings would come too late.
    this.wheel.setTickMs(wheelTickMs(this.options));
    this.sessions[session.id] = session;
    this.sessionCount++;
  }

  removeSession(session: Socket): void {
    if (this.sessions[session.id] !== session) return;
    delete this.sessions[session.id];
    this.sessionCount--;
  }

  /** The open session `sid`, if any. */
  session(sid: string): Socket | undefined {
    return Object.hasOwn(this.sessions, sid) ? this.sessions[sid] : undefined;
  }

  // Every request naming a session (polling GET/POST, WebSocket upgrade) looks it up here: one whose heartbeat deadline
  // passed while the shared wheel had not ticked yet is closed first, so the request finds it gone.
  readonly findLiveSession = (sid: string): Socket | undefined => {
    const session = this.session(sid);
    if (session === undefined || session.heartbeat.expireIfOverdue()) return undefined;
    return session;
  };

  /** The `ws` server, created on the first WebSocket handshake. */
  webSocketServer(): WsServer {
    this.#wss ??= createWebSocketServer(
      this.options,
      (headers, req) => {
        if (parseQuery(req)['sid'] === undefined) this.server.emit('initial_headers', headers, req);
        this.server.emit('headers', headers, req);
      },
      () => this.server.listenerCount('initial_headers') > 0 || this.server.listenerCount('headers') > 0,
    );
    return this.#wss;
  }

  /** Closes every session ('forced close') and the `ws` server. */
  close(): void {
    for (const id of Object.keys(this.sessions)) this.sessions[id]?.close(true);
    this.#wss?.close();
    this.#wss = undefined;
  }
}

/** Deadlines fire at most one tick late: a tenth of the shorter heartbeat period, between 5 ms and 1 s. */
export function wheelTickMs({ pingInterval, pingTimeout }: ResolvedOptions): number {
  return Math.min(1000, Math.max(5, Math.floor(Math.min(pingInterval, pingTimeout) / 10)));
}
