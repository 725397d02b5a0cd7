// @ts-check
// The benchmark server written against the socket.io v4 API: socket.io and ours run this same code.
import { createServer } from 'node:http';
import { tcpConnectionsOf } from '../lib/ipc.mjs';
import { BROADCAST_EVENT, binaryPayload, ECHO_EVENT, jsonPayload } from '../lib/payloads.mjs';

/**
 * @typedef {{ room: boolean, echo: boolean, roomByQuery?: boolean }} Behaviour what each connection does besides being
 *   counted; roomByQuery: join the room only when the client's query says `room=1` (the cluster scenario)
 * @typedef {{
 *   port: number,
 *   connections: () => number,
 *   tcpConnections: () => Promise<number>,
 *   broadcast: (kind: 'json' | 'binary', seq: number, to?: 'room' | 'all') => void,
 *   close: () => Promise<void>,
 * }} BenchServer
 */

/**
 * Starts a server with the socket.io-compatible `Server` class on 127.0.0.1 and an ephemeral port.
 * @param {new (http: import('node:http').Server, options?: Record<string, unknown>) => any} Server
 * @param {Behaviour} behaviour
 * @param {{ adapter?: unknown }} [options] an adapter factory (a cluster node's Redis adapter)
 * @returns {Promise<BenchServer>}
 */
export async function startSioServer(Server, behaviour, options = {}) {
  const http = createServer();
  const io = new Server(
    http,
    options.adapter === undefined ? { serveClient: false } : { serveClient: false, adapter: options.adapter },
  );
  // Counting through the namespace's socket map keeps per-connection work at zero listeners when idle.
  const sockets = io.of('/').sockets;
  io.on('connection', (/** @type {any} */ socket) => {
    if (behaviour.roomByQuery ? socket.handshake.query.room === '1' : behaviour.room) socket.join('room');
    if (behaviour.echo)
      socket.on(ECHO_EVENT, (/** @type {unknown} */ data, /** @type {(d: unknown) => void} */ ack) => ack(data));
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return {
    port: address.port,
    connections: () => sockets.size,
    tcpConnections: () => tcpConnectionsOf(http),
    broadcast(kind, seq, to = 'room') {
      (to === 'all' ? io : io.to('room')).emit(
        BROADCAST_EVENT,
        kind === 'json' ? jsonPayload(seq) : binaryPayload(seq),
      );
    },
    async close() {
      io.disconnectSockets(true);
      await new Promise((resolve) => io.close(() => resolve(undefined)));
      http.closeAllConnections();
    },
  };
}
