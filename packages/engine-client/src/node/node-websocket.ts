// WebSockets in Node through `ws`, which also lets us send headers and pick TLS options.
import WebSocket from 'ws';
import type { WebSocketFactory, WebSocketLike } from '../transports/websocket.js';

/** Opens a `ws` WebSocket with the socket's headers, agent and TLS options. */
export const createNodeWebSocket: WebSocketFactory = (url, opts) => {
  const ws = new WebSocket(url, opts.protocols as string | string[] | undefined, {
    headers: { ...opts.extraHeaders },
    rejectUnauthorized: opts.rejectUnauthorized !== false,
    ...(opts.agent && { agent: opts.agent as NonNullable<WebSocket.ClientOptions['agent']> }),
  });
  if (opts.autoUnref) ws.once('upgrade', (res) => res.socket.unref());
  return ws as unknown as WebSocketLike;
};
