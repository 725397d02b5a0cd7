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
export type * from './public-types.js';
