// What Node brings to the socket: `ws` WebSockets, http polling, binary as Buffers, cookies with withCredentials.
import type { SocketOptions } from '../options.js';
import type { Environment } from '../socket.js';
import { Polling } from '../transports/polling.js';
import { WebSocketTransport } from '../transports/websocket.js';
import { CookieJar } from './cookie-jar.js';
import { createHttpRequester } from './http-request.js';
import { createNodeWebSocketFactory } from './node-websocket.js';

const toBuffer_ = (bytes: Uint8Array): Uint8Array =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function createEnvironment(withPolling: boolean, jar?: CookieJar): Environment {
  const openWebSocket = createNodeWebSocketFactory(jar);
  const request = createHttpRequester(jar);
  return {
    transports_: withPolling
      ? {
          polling: (opts) => new Polling(opts, request),
          websocket: (opts) => new WebSocketTransport(opts, openWebSocket),
        }
      : { websocket: (opts) => new WebSocketTransport(opts, openWebSocket) },
    binaryType_: 'nodebuffer',
    toBuffer_,
  };
}

const shared = { full: createEnvironment(true), websocket: createEnvironment(false) };

/**
 * The environment of one Node socket: shared, except with `withCredentials`, where each socket gets its own
 * cookie jar (cookies of one connection must not leak into another).
 */
export function nodeEnvironment(
  withPolling: boolean,
  uri?: string | SocketOptions | null,
  opts?: SocketOptions,
): Environment {
  const options = uri !== null && typeof uri === 'object' ? uri : opts;
  if (options?.withCredentials) return createEnvironment(withPolling, new CookieJar());
  return withPolling ? shared.full : shared.websocket;
}
