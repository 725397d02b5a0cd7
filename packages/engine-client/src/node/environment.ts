// What Node brings to the socket: `ws` WebSockets, http polling (full entry only), binary as Buffers.
import type { Environment } from '../socket.js';
import type { TransportFactory } from '../transports/transport.js';
import { WebSocketTransport } from '../transports/websocket.js';
import { createNodeWebSocket } from './node-websocket.js';

export const websocket: TransportFactory = (opts) => new WebSocketTransport(opts, createNodeWebSocket);

/** The WebSocket-only environment; the full entry adds polling to it. */
export const nodeWebSocketEnvironment: Environment = {
  transports: { websocket },
  binaryType: 'nodebuffer',
  toBuffer: (bytes) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
};
