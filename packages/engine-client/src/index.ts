// The Node entry: Engine.IO v4 client over http long-polling and `ws`, upgrading to WebSocket.
import { nodeEnvironment } from './node/environment.js';
import type { SocketOptions } from './options.js';
import { EngineSocket } from './socket.js';

/**
 * An Engine.IO v4 connection: starts with long-polling, upgrades to WebSocket (engine.io-client v6 API).
 * @example
 * const socket = new Socket('http://localhost:3000');
 * socket.on('open', () => socket.send('hello'));
 * socket.on('message', (data) => console.log(data));
 */
export class Socket extends EngineSocket {
  constructor(uri?: string | SocketOptions | null, opts?: SocketOptions) {
    super(nodeEnvironment(true, uri, opts), uri, opts);
  }
}

export { EngineSocket } from './socket.js';
export { parseUri, encodeQuery, decodeQuery } from './uri.js';
export { TransportError, EngineClientErrorCode } from './errors.js';
export { startTimer, type TimerOptions } from './timers.js';
// The transport classes under engine.io-client's names, for `transports: [WebSocket]`: every polling name is this
// entry's polling, every WebSocket name its WebSocket.
export { Polling, Polling as XHR, Polling as NodeXHR, Polling as Fetch } from './transports/polling.js';
export { WebSocketTransport as WebSocket, WebSocketTransport as NodeWebSocket } from './transports/websocket.js';
export type * from './public-types.js';
