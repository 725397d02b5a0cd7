// @ts-check
// The floor: raw ws doing the least equivalent work. A Set is the room; a broadcast frame is built once and written to
// every socket's TCP stream; the corking variant coalesces a turn's frames into one write per socket. The handshake
// variant (ws-sio) also answers the Engine.IO open and the Socket.IO CONNECT, the least a Socket.IO server must do to
// accept a client: what a connect costs on this machine before any session, heartbeat, namespace or room exists.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { tcpConnectionsOf } from '../lib/ipc.mjs';
import { BROADCAST_EVENT, binaryPayload, jsonPayload } from '../lib/payloads.mjs';

const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const FIN = 0x80;

/**
 * An unmasked, final WebSocket frame (RFC 6455 §5.2) holding `payload`: servers never mask.
 * @param {Buffer} payload
 * @param {number} opcode
 * @returns {Buffer}
 */
export function encodeFrame(payload, opcode) {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = FIN | opcode;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/**
 * Starts the raw ws server on 127.0.0.1 and an ephemeral port; `cork` coalesces writes per event-loop turn;
 * `handshake` sends the Engine.IO open packet on connection and answers the client's first message (its `40`) with a
 * CONNECT.
 * @param {import('./sio.mjs').Behaviour} behaviour
 * @param {{ cork: boolean, handshake?: boolean }} options
 * @returns {Promise<import('./sio.mjs').BenchServer>}
 */
export async function startWsServer(behaviour, options) {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false, clientTracking: false });
  /** @type {Set<import('ws').WebSocket>} */
  const room = new Set();
  wss.on('connection', (ws) => {
    room.add(ws);
    ws.on('close', () => room.delete(ws));
    if (options.handshake) {
      // Unpredictable ids as a real server needs, and the open packet a Socket.IO v5 client waits for.
      ws.send(
        `0{"sid":"${randomBytes(15).toString('base64url')}","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`,
      );
      ws.once('message', () => ws.send(`40{"sid":"${randomBytes(15).toString('base64url')}"}`));
    }
    if (behaviour.echo)
      ws.on('message', (data, isBinary) => ws.send(/** @type {Buffer} */ (data), { binary: isBinary }));
  });

  /** @type {Set<import('node:net').Socket>} */
  const corked = new Set();
  const uncorkAll = () => {
    for (const socket of corked) socket.uncork();
    corked.clear();
  };
  /** @type {(frame: Buffer) => void} */
  const writeToRoom = options.cork
    ? (frame) => {
        if (corked.size === 0) process.nextTick(uncorkAll);
        for (const ws of room) {
          const socket = tcpOf(ws);
          if (!corked.has(socket)) {
            socket.cork();
            corked.add(socket);
          }
          socket.write(frame);
        }
      }
    : (frame) => {
        for (const ws of room) tcpOf(ws).write(frame);
      };

  await new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return {
    port: address.port,
    connections: () => room.size,
    tcpConnections: () => tcpConnectionsOf(http),
    broadcast(kind, seq) {
      const frame =
        kind === 'json'
          ? encodeFrame(Buffer.from(JSON.stringify([BROADCAST_EVENT, jsonPayload(seq)])), OPCODE_TEXT)
          : encodeFrame(binaryPayload(seq), OPCODE_BINARY);
      writeToRoom(frame);
    },
    async close() {
      for (const ws of room) ws.terminate();
      await new Promise((resolve) => wss.close(() => resolve(undefined)));
      http.closeAllConnections();
      await new Promise((resolve) => http.close(() => resolve(undefined)));
    },
  };
}

/**
 * The TCP socket under a ws connection: ws keeps it in `_socket`, which is how a prepared frame bypasses re-framing.
 * @param {import('ws').WebSocket} ws
 * @returns {import('node:net').Socket}
 */
function tcpOf(ws) {
  return /** @type {{ _socket: import('node:net').Socket }} */ (/** @type {unknown} */ (ws))._socket;
}
