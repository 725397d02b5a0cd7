// Builds a socket's `handshake` object from its Engine.IO connection (done lazily, on first access).
import type { EngineConnection } from './engine-connection.js';
import type { Handshake } from './socket-types.js';

/** The handshake details of a connection, as socket.io presents them. */
export function buildHandshake(conn: EngineConnection, auth: Record<string, unknown>, issued: number): Handshake {
  const request = conn.request;
  const headers = request.headers;
  return {
    headers,
    time: new Date(issued).toString(),
    address: conn.remoteAddress ?? request.socket?.remoteAddress ?? '',
    xdomain: headers.origin !== undefined,
    secure: (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true,
    issued,
    url: request.url ?? '',
    query: request._query ?? {},
    auth,
  };
}
