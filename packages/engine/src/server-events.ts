// The events a server emits and their arguments.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { OutgoingPacket } from './context.js';
import type { HandshakeErrorCodeValue } from './errors.js';
import type { Socket } from './socket.js';

/** What `connection_error` listeners receive. */
export interface ConnectionErrorEvent {
  req: IncomingMessage;
  code: HandshakeErrorCodeValue;
  message: string;
  context: Record<string, unknown>;
}

/** Events of the server and their arguments, as engine.io emits them. */
export interface ServerEvents {
  connection: [socket: Socket];
  /** A request was refused; `code`/`message` are the protocol's, `context` says why in more detail. */
  connection_error: [event: ConnectionErrorEvent];
  /** Headers of the first response of a session (handshake), before they are written; listeners may edit them. */
  initial_headers: [headers: OutgoingHttpHeaders, req: IncomingMessage];
  /** Headers of every polling response and WebSocket handshake, before they are written. */
  headers: [headers: OutgoingHttpHeaders, req: IncomingMessage];
  flush: [socket: Socket, packets: OutgoingPacket[]];
  drain: [socket: Socket];
}
