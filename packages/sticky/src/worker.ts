// The worker's side: connections handed over by the primary are injected into the worker's HTTP server with the
// bytes the primary already read, and every Engine.IO session is announced to the primary (and retracted on close)
// so the session's later requests are routed here.
import cluster from 'node:cluster';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import createDebug from 'debug';
import { StickyError, StickyErrorCode } from './errors.js';
import { isConnectionMessage, type WorkerMessage } from './ipc.js';

const debug = createDebug('switchboard:sticky');

/** The HTTP server a Socket.IO server is attached to (node:http's Server fits). */
export interface StickyHttpServer {
  emit(event: 'connection', socket: Socket): boolean;
  prependListener(event: 'request', listener: (req: IncomingMessage, res: ServerResponse) => void): unknown;
  off(event: 'request', listener: (req: IncomingMessage, res: ServerResponse) => void): unknown;
}

/** An Engine.IO session, as Switchboard's engine and engine.io both expose it. */
export interface StickySession {
  readonly id: string;
  once(event: 'close', listener: () => void): unknown;
}

/** What `setupWorker` needs of a Socket.IO server: Switchboard's `Server`, or socket.io's. */
export interface StickyServer {
  readonly httpServer?: StickyHttpServer | undefined;
  readonly engine: {
    on(event: 'connection', listener: (session: StickySession) => void): unknown;
    off(event: 'connection', listener: (session: StickySession) => void): unknown;
  };
}

function tell(message: WorkerMessage): void {
  if (process.send === undefined || !process.connected) return;
  // A lost announcement only costs a reconnect: the primary balances an unknown session like a new one.
  process.send(message, undefined, {}, (err: Error | null) => {
    if (err !== null) debug('could not tell the primary: %s', err.message);
  });
}

/**
 * Serves the connections the primary's `setupMaster` routes to this worker; call it once the server is attached
 * to its HTTP server (which needs not listen). Returns a function that stops it.
 *
 * @example
 * const io = new Server(http.createServer(), { adapter: createAdapter() });
 * setupWorker(io);
 */
export function setupWorker(io: StickyServer): () => void {
  if (!cluster.isWorker || process.send === undefined) {
    throw new StickyError(
      StickyErrorCode.WRONG_PROCESS,
      'setupWorker(io) runs in a node:cluster worker; the primary calls setupMaster(httpServer)',
    );
  }
  const httpServer = io.httpServer;
  if (httpServer === undefined) {
    throw new StickyError(
      StickyErrorCode.WRONG_PROCESS,
      'setupWorker(io) needs a server attached to an HTTP server: new Server(http.createServer())',
    );
  }

  // A kept-alive connection may carry a request for a session of another worker next, and only the primary can
  // route it: so a connection serves one request and closes (WebSocket upgrades are not responses and stay open).
  const closeAfterResponse = (_req: IncomingMessage, res: ServerResponse): void => {
    res.setHeader('Connection', 'close');
  };

  const onMessage = (message: unknown, handle: unknown): void => {
    if (!isConnectionMessage(message)) return;
    const socket = handle as Socket | undefined;
    if (socket === undefined || socket === null) {
      debug('a connection closed on its way from the primary');
      return;
    }
    httpServer.emit('connection', socket);
    // The primary read these bytes to route the connection: they are the start of the first request.
    socket.unshift(Buffer.from(message.head, 'latin1'));
  };

  const onSession = (session: StickySession): void => {
    tell({ type: 'switchboard:sticky:bind', sessionId: session.id });
    session.once('close', () => tell({ type: 'switchboard:sticky:unbind', sessionId: session.id }));
  };

  httpServer.prependListener('request', closeAfterResponse);
  process.on('message', onMessage);
  io.engine.on('connection', onSession);
  tell({ type: 'switchboard:sticky:ready' });

  return () => {
    httpServer.off('request', closeAfterResponse);
    process.off('message', onMessage);
    io.engine.off('connection', onSession);
  };
}
