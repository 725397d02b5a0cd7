// What a browser brings to the socket: its own WebSocket, fetch polling (full entry only), binary as ArrayBuffers.
import type { Environment } from '../socket.js';
import type { TransportFactory } from '../transports/transport.js';
import { WebSocketTransport, type WebSocketLike } from '../transports/websocket.js';

export const websocket: TransportFactory = (opts) =>
  new WebSocketTransport(opts, (url) => {
    const ws = new WebSocket(url, opts.protocols as string | string[] | undefined);
    ws.binaryType = 'arraybuffer';
    return ws as unknown as WebSocketLike;
  });

/** The WebSocket-only environment; the full entry adds polling to it. */
export const browserWebSocketEnvironment: Environment = {
  transports_: { websocket },
  binaryType_: 'arraybuffer',
  toBuffer_: (bytes) => bytes,
};
