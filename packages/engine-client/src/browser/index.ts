// The browser entry: Engine.IO v4 client over fetch long-polling and the browser's WebSocket; no dependencies.
import type { SocketOptions } from '../options.js';
import { EngineSocket, type Environment } from '../socket.js';
import { Polling } from '../transports/polling.js';
import { browserWebSocketEnvironment, websocket } from './environment.js';
import { requestWithFetch } from './fetch-request.js';

const environment: Environment = {
  ...browserWebSocketEnvironment,
  transports_: { polling: (opts) => new Polling(opts, requestWithFetch), websocket },
};

/**
 * An Engine.IO v4 connection: starts with long-polling, upgrades to WebSocket (engine.io-client v6 API).
 * @example
 * const socket = new Socket('https://example.com');
 * socket.on('open', () => socket.send('hello'));
 * socket.on('message', (data) => console.log(data));
 */
export class Socket extends EngineSocket {
  constructor(uri?: string | SocketOptions | null, opts?: SocketOptions) {
    super(environment, uri, opts);
  }
}

export { EngineSocket } from '../socket.js';
export { parseUri, encodeQuery, decodeQuery } from '../uri.js';
export { TransportError, EngineClientErrorCode } from '../errors.js';
export type * from '../public-types.js';
