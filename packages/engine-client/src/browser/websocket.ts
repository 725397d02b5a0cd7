// The browser WebSocket-only entry: no polling code at all, for the smallest bundle.
import type { SocketOptions } from '../options.js';
import { EngineSocket } from '../socket.js';
import { browserWebSocketEnvironment } from './environment.js';

/**
 * An Engine.IO v4 connection over the browser's WebSocket only (engine.io-client v6 API).
 * @example
 * const socket = new Socket('wss://example.com');
 * socket.on('open', () => socket.send('hello'));
 */
export class Socket extends EngineSocket {
  constructor(uri?: string | SocketOptions | null, opts?: SocketOptions) {
    super(browserWebSocketEnvironment, uri, opts);
  }
}

export { EngineSocket } from '../socket.js';
export { parseUri, encodeQuery, decodeQuery } from '../uri.js';
export { TransportError, EngineClientErrorCode } from '../errors.js';
export { startTimer, type TimerOptions } from '../timers.js';
// The transport class under engine.io-client's names, for `transports: [WebSocket]`.
export { WebSocketTransport as WebSocket, WebSocketTransport as NodeWebSocket } from '../transports/websocket.js';
export {
  PollingName as Polling,
  PollingName as XHR,
  PollingName as NodeXHR,
  PollingName as Fetch,
} from '../transports/absent-polling.js';
export type * from '../public-types.js';
