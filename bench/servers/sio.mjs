// @ts-check
// The benchmark server written against the socket.io v4 API: socket.io and ours run this same code.
import { createServer } from 'node:http';
import { tcpConnectionsOf } from '../lib/ipc.mjs';
import { BROADCAST_EVENT, binaryPayload, ECHO_EVENT, jsonPayload } from '../lib/payloads.mjs';

/**
 * @typedef {{ room: boolean, echo: boolean }} Behaviour what each connection does besides being counted
 * @typedef {{
 *   port: number,
 *   connections: () => number,
 *   tcpConnections: () => Promise<number>,
 *   broadcast: (kind: 'json' | 'binary', seq: number) => void,
 *   close: () => Promise<void>,
 * }} BenchServer
 */

/**
 * Starts a server with the socket.io-compatible `Server` class on 127.0.0.1 and an ephemeral port.
 * @param {new (http: import('node:http').Server, options?: Record<string, unknown>) => any} Server
 * @param {Behaviour} behaviour
 * @returns {Promise<BenchServer>}
 */
export async function startSioServer(Server, behaviour) {
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  // Counting through the namespace's socket map keeps per-connection work at zero listeners when idle.
  const sockets = io.of('/').sockets;
  io.on('connection', (/** @type {any} */ socket) => {
    if (behaviour.room) socket.join('room');
    if (behaviour.echo) socket.on(ECHO_EVENT, (/** @type {unknown} */ data, /** @type {(d: unknown) => void} */ ack) => ack(data));
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return {
    port: address.port,
    connections: () => sockets.size,
    tcpConnections: () => tcpConnectionsOf(http),
    broadcast(kind, seq) {
      io.to('room').emit(BROADCAST_EVENT, kind === 'json' ? jsonPayload(seq) : binaryPayload(seq));
    },
    async close() {
      io.disconnectSockets(true);
      await new Promise((resolve) => io.close(() => resolve(undefined)));
      http.closeAllConnections();
    },
  };
}
