// Plain types shared by the socket, the adapter and the namespace: handshake details and disconnect reasons.
import type { IncomingHttpHeaders } from 'node:http';
import type { ParsedUrlQuery } from 'node:querystring';

/** Why a socket was disconnected; socket.io's strings, spelled as socket.io spells them. */
export type DisconnectReason =
  | 'transport error'
  | 'transport close'
  | 'forced close'
  | 'ping timeout'
  | 'parse error'
  | 'server shutting down'
  | 'forced server close'
  | 'client namespace disconnect'
  | 'server namespace disconnect'
  /** The client sent packets over the `rateLimit` option's allowance (with `action: 'disconnect'`). */
  | 'rate limit exceeded'
  /** The client read too slowly: its connection held more than the engine's `maxBufferedBytes` for too long. */
  | 'transport buffer full';

/** The details of the request that opened a socket's connection. */
export interface Handshake {
  /** The headers of the first HTTP request. */
  headers: IncomingHttpHeaders;
  /** The connection's creation date, as a string. */
  time: string;
  /** The client's IP address. */
  address: string;
  /** Whether the request came from another origin. */
  xdomain: boolean;
  /** Whether the connection is over TLS. */
  secure: boolean;
  /** The connection's creation date, in milliseconds since the epoch. */
  issued: number;
  /** The request URL. */
  url: string;
  /** The query string, parsed. */
  query: ParsedUrlQuery;
  /**
   * The `auth` object the client sent in its CONNECT packet. Its values are `any`, as in socket.io: whatever a client
   * sends is unchecked, and untyped socket.io code (`handshake.auth.token`) must compile unchanged.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- socket.io's own declaration; see above
  auth: { [key: string]: any };
}

/** An incoming event as per-packet middlewares see it: the name, then the arguments (an ack callback last). */
export type Event = [eventName: string, ...args: unknown[]];

/** A per-packet middleware: `next(err)` rejects the packet (the socket emits 'error'), `next()` passes it on. */
export type PacketMiddleware = (event: Event, next: (err?: Error) => void) => void;

/** The reserved events a server-side socket emits to its own listeners. */
export interface SocketReservedEventsMap {
  disconnect: (reason: DisconnectReason, description?: unknown) => void;
  disconnecting: (reason: DisconnectReason, description?: unknown) => void;
  error: (err: Error) => void;
}
