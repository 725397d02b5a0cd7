// WebSockets in Node through `ws`, which also lets us send headers and pick TLS options.
import WebSocket from 'ws';
import type { WebSocketFactory, WebSocketLike } from '../transports/websocket.js';
import type { CookieJar } from './cookie-jar.js';
import { tlsOptions } from './tls-options.js';

/** Opens `ws` WebSockets with the socket's headers, agent, TLS options and (with a jar) cookies. */
export const createNodeWebSocketFactory =
  (jar?: CookieJar): WebSocketFactory =>
  (url, opts) => {
    const cookie = jar?.header();
    const ws = new WebSocket(url, opts.protocols as string | string[] | undefined, {
      headers: cookie ? { ...opts.extraHeaders, cookie } : { ...opts.extraHeaders },
      ...tlsOptions(opts),
      // engine.io-client's default: compress frames of 1 KB and more.
      perMessageDeflate: (opts.perMessageDeflate ?? {
        threshold: 1024,
      }) as WebSocket.ClientOptions['perMessageDeflate'],
      ...(opts.agent && { agent: opts.agent as NonNullable<WebSocket.ClientOptions['agent']> }),
    });
    ws.once('upgrade', (res) => {
      jar?.store(res.headers['set-cookie']);
      if (opts.autoUnref) res.socket.unref();
    });
    return ws as unknown as WebSocketLike;
  };
