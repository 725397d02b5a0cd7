// The primary's side: it accepts every TCP connection, reads the request line, and hands the connection (its
// handle plus the bytes already read) to the worker holding the Engine.IO session named in the query, or to the
// worker the load-balancing method picks for a handshake. From then on the worker owns the connection.
import cluster, { type Worker } from 'node:cluster';
import type { Server as NetServer, Socket } from 'node:net';
import createDebug from 'debug';
import { Balancer, LOAD_BALANCING_METHODS, type LoadBalancingMethod } from './balancer.js';
import { StickyError, StickyErrorCode } from './errors.js';
import { isWorkerMessage, type ConnectionMessage } from './ipc.js';
import { readRequestLine } from './request-line.js';

const debug = createDebug('switchboard:sticky');

/** Options of `setupMaster`. */
export interface SetupMasterOptions {
  /** How a connection without a known session picks its worker. @default 'least-connection' */
  loadBalancingMethod?: LoadBalancingMethod;
  /**
   * A request naming a session no worker has announced yet waits this long for the announcement (it travels over
   * IPC while the handshake answer travels over TCP) before it is balanced like a new one. @default 100
   */
  unknownSessionWaitMs?: number;
  /** A connection that has not sent its request line after this long is closed. @default 10000 */
  requestLineTimeoutMs?: number;
}

/** What `setupMaster` returns: the live session table, and a way to stop routing. */
export interface StickyPrimary {
  /** Sessions per ready worker, by node:cluster worker id. */
  sessionCounts(): ReadonlyMap<number, number>;
  /** Stops routing new connections (connections already handed over are the workers'). */
  close(): void;
}

const RESPONSE_400 = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';
const RESPONSE_503 = 'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

function refuse(socket: Socket, response: string): void {
  socket.removeAllListeners('data');
  socket.end(response);
  socket.setTimeout(1000, () => socket.destroy());
}

function liveWorker(workerId: number | undefined): Worker | undefined {
  if (workerId === undefined) return undefined;
  const worker = cluster.workers?.[workerId];
  return worker !== undefined && worker.isConnected() ? worker : undefined;
}

/**
 * Routes the connections of `httpServer` (listening in the primary) to the workers; call it in the node:cluster
 * primary, and `setupWorker(io)` in every worker.
 *
 * @example
 * const httpServer = http.createServer();
 * setupMaster(httpServer, { loadBalancingMethod: 'least-connection' });
 * httpServer.listen(3000);
 * for (let i = 0; i < 2; i++) cluster.fork();
 */
export function setupMaster(httpServer: NetServer, opts: SetupMasterOptions = {}): StickyPrimary {
  if (!cluster.isPrimary)
    throw new StickyError(
      StickyErrorCode.WRONG_PROCESS,
      'setupMaster() runs in the node:cluster primary; workers call setupWorker(io)',
    );
  const method = opts.loadBalancingMethod ?? 'least-connection';
  if (!LOAD_BALANCING_METHODS.includes(method)) {
    throw new StickyError(
      StickyErrorCode.INVALID_OPTION,
      `loadBalancingMethod must be one of ${LOAD_BALANCING_METHODS.join(', ')}, got ${String(method)}`,
    );
  }
  const waitMs = opts.unknownSessionWaitMs ?? 100;
  const lineTimeoutMs = opts.requestLineTimeoutMs ?? 10_000;
  for (const [name, value] of [
    ['unknownSessionWaitMs', waitMs],
    ['requestLineTimeoutMs', lineTimeoutMs],
  ] as const) {
    if (!Number.isFinite(value) || value < 0)
      throw new StickyError(
        StickyErrorCode.INVALID_OPTION,
        `${name} must be a number of milliseconds >= 0, got ${String(value)}`,
      );
  }

  const balancer = new Balancer(method);
  /** Connections waiting for a session's owner to be announced. */
  const waitingForSession = new Map<string, Set<() => void>>();

  /**
   * Connections not yet written to their worker. node sends one handle at a time and queues the next until the worker
   * acknowledges the last; if the worker dies first, the queued ones are neither sent, closed nor called back, and the
   * one awaiting its acknowledgement is not closed either (node postpones the channel's disconnect until the queue
   * empties). The primary would hold them open and unread until the client gives up (a polling client: its 40 s
   * heartbeat). So the primary keeps its copy (`keepOpen`) and closes it itself once the message is written, when the
   * kernel holds the descriptor in flight: a dead worker's in-flight descriptors are released with it. Those still
   * queued are closed when their worker goes. Either way the client sees the connection close and reconnects.
   */
  const inTransit = new Map<number, Set<Socket>>();

  const handOver = (socket: Socket, head: Buffer, worker: Worker): void => {
    // Stop reading here before the handle moves: node's transfer swaps the handle's read callback for a no-op, so
    // bytes read in this process afterwards (the rest of a POST body, say) would be lost and the request would hang.
    // net.Socket has no public way to stop its handle reading (pause() only stops emitting), hence the private call.
    (socket as unknown as { _handle?: { readStop?: () => number } | null })._handle?.readStop?.();
    socket.removeAllListeners('data');
    for (let chunk: unknown = socket.read(); chunk !== null; chunk = socket.read()) {
      head = Buffer.concat([head, chunk as Buffer]);
    }
    socket.removeAllListeners('timeout');
    socket.setTimeout(0);
    const message: ConnectionMessage = { type: 'switchboard:sticky:connection', head: head.toString('latin1') };
    let pending = inTransit.get(worker.id);
    if (pending === undefined) inTransit.set(worker.id, (pending = new Set()));
    const sending = pending;
    sending.add(socket);
    try {
      worker.send(message, socket, { keepOpen: true }, (err: Error | null) => {
        sending.delete(socket);
        if (err !== null) debug('could not hand a connection to worker %d: %s', worker.id, err.message);
        // Sent: the worker holds its own descriptor (or, if it dies before reading it, nobody does). Not sent: closed.
        socket.destroy();
      });
    } catch (err) {
      sending.delete(socket);
      debug('could not hand a connection to worker %d: %o', worker.id, err);
      socket.destroy();
    }
  };

  // `head` is read when the connection is handed over: bytes that arrive while it waits for its session belong to it.
  const route = (socket: Socket, head: () => Buffer, sessionId: string | undefined, waited: boolean): void => {
    if (socket.destroyed) return;
    const owner = sessionId === undefined ? undefined : liveWorker(balancer.ownerOf(sessionId));
    if (owner !== undefined) {
      handOver(socket, head(), owner);
      return;
    }
    if (sessionId !== undefined && !waited && waitMs > 0 && balancer.readyWorkers > 0) {
      let waiters = waitingForSession.get(sessionId);
      if (waiters === undefined) waitingForSession.set(sessionId, (waiters = new Set()));
      const resume = (): void => {
        clearTimeout(timer);
        const set = waitingForSession.get(sessionId);
        set?.delete(resume);
        if (set?.size === 0) waitingForSession.delete(sessionId);
        route(socket, head, sessionId, true);
      };
      const timer = setTimeout(resume, waitMs);
      waiters.add(resume);
      return;
    }
    // A session nobody holds (its worker died, or it never existed): any worker answers, with "Session ID unknown"
    // for polling, so the client reconnects and lands on a live worker.
    const picked = liveWorker(balancer.pick());
    if (picked === undefined) {
      refuse(socket, RESPONSE_503);
      return;
    }
    handOver(socket, head(), picked);
  };

  const onConnection = (socket: Socket): void => {
    let head: Buffer = Buffer.alloc(0);
    socket.on('error', (err) => debug('connection error before hand-over: %s', err.message));
    socket.setTimeout(lineTimeoutMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const line = readRequestLine(head);
      if (line.kind === 'incomplete') return;
      if (line.kind === 'invalid') {
        refuse(socket, RESPONSE_400);
        return;
      }
      // Bytes that arrive while the request waits for its session are kept with the head.
      socket.removeAllListeners('data');
      socket.on('data', (more: Buffer) => (head = Buffer.concat([head, more])));
      route(socket, () => head, line.sessionId, false);
    });
  };

  const onMessage = (worker: Worker, message: unknown): void => {
    if (!isWorkerMessage(message)) return;
    switch (message.type) {
      case 'switchboard:sticky:ready':
        balancer.addWorker(worker.id);
        return;
      case 'switchboard:sticky:bind': {
        balancer.bind(message.sessionId, worker.id);
        const waiters = waitingForSession.get(message.sessionId);
        if (waiters !== undefined) for (const resume of [...waiters]) resume();
        return;
      }
      case 'switchboard:sticky:unbind':
        balancer.unbind(message.sessionId, worker.id);
        return;
    }
  };

  const onExit = (worker: Worker): void => {
    debug('worker %d is gone; its sessions are forgotten', worker.id);
    balancer.removeWorker(worker.id);
    const stranded = inTransit.get(worker.id);
    inTransit.delete(worker.id);
    if (stranded !== undefined && stranded.size > 0) {
      debug('closing %d connections still on their way to worker %d', stranded.size, worker.id);
      for (const socket of stranded) socket.destroy();
    }
  };

  // The primary serves no HTTP itself: node:http's own connection handling is replaced by the routing above.
  httpServer.removeAllListeners('connection');
  httpServer.on('connection', onConnection);
  cluster.on('message', onMessage);
  cluster.on('exit', onExit);
  cluster.on('disconnect', onExit);

  return {
    sessionCounts: () => balancer.sessionCounts(),
    close: () => {
      httpServer.off('connection', onConnection);
      cluster.off('message', onMessage);
      cluster.off('exit', onExit);
      cluster.off('disconnect', onExit);
    },
  };
}
