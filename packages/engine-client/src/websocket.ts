// The Node WebSocket-only entry: the same Socket without polling, for apps that never need the fallback.
import { nodeEnvironment } from './node/environment.js';
import type { SocketOptions } from './options.js';
import { EngineSocket } from './socket.js';

/**
 * An Engine.IO v4 connection over WebSocket only (engine.io-client v6 API).
 * @example
 * const socket = new Socket('ws://localhost:3000');
 * socket.on('open', () => socket.send('hello'));
 */
export class Socket extends EngineSocket {
  constructor(uri?: string | SocketOptions | null, opts?: SocketOptions) {
    super(nodeEnvironment(false, uri, opts), uri, opts);
  }
}

export { EngineSocket } from './socket.js';
export { parseUri, encodeQuery, decodeQuery } from './uri.js';
export { TransportError, EngineClientErrorCode } from './errors.js';
export { startTimer, type TimerOptions } from './timers.js';
// The transport class under engine.io-client's names, for `transports: [WebSocket]`.
export { WebSocketTransport as WebSocket, WebSocketTransport as NodeWebSocket } from './transports/websocket.js';
export {
  PollingName as Polling,
  PollingName as XHR,
  PollingName as NodeXHR,
  PollingName as Fetch,
} from './transports/absent-polling.js';
export type * from './public-types.js';
