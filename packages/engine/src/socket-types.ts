// The public vocabulary of a session: its states, close reasons, events, and the layer above it.
import type { EnginePacket } from '@switchboard/protocol';
import type { OutgoingPacket } from './context.js';
import type { Transport } from './transports/transport.js';

/** Session states, in the order a session goes through them. */
export type ReadyState = 'opening' | 'open' | 'closing' | 'closed';

/** Why a session closed, spelled as engine.io spells it. */
export type CloseReason =
  | 'ping timeout'
  | 'transport close'
  | 'transport error'
  | 'forced close'
  | 'parse error'
  | 'forced server close'
  /** The client read too slowly: see the `maxBufferedBytes` option. */
  | 'transport buffer full';

/** Called once the packet reached the transport's socket, with that transport. */
export type SendCallback = (transport: Transport) => void;

/** Events of a session and their arguments, as engine.io emits them. */
export interface SocketEvents {
  open: [];
  /** A message from the client: text as a string, binary as a Buffer. */
  message: [data: string | Buffer];
  /** Alias of `message`. */
  data: [data: string | Buffer];
  close: [reason: CloseReason, description: Error | undefined];
  /** Only emitted when someone listens: a transport failed or sent undecodable bytes (the session then closes). */
  error: [error: Error];
  /** The probe succeeded on the new transport. */
  upgrading: [transport: Transport];
  /** The session now runs on `transport`. */
  upgrade: [transport: Transport];
  /** The write buffer went to the transport; after back-pressure, the transport can take writes again. */
  drain: [];
  flush: [packets: OutgoingPacket[]];
  /** Any packet received from the client. */
  packet: [packet: EnginePacket];
  /** A packet was queued for the client. */
  packetCreate: [packet: OutgoingPacket];
  /** A heartbeat completed (v4: pong received; v3: ping received). */
  heartbeat: [];
}

/**
 * The layer above a session (the Socket.IO server's per-connection client), told of the session's messages and its
 * close by direct calls instead of `data`/`close` listeners: those calls run first, before any listener of the same
 * event, and a session without other listeners never allocates its listener table.
 */
export interface SessionConsumer {
  /** A message from the client, as the `data` event carries it. */
  onSessionData(data: string | Buffer): void;
  /** The session closed, as the `close` event reports it. */
  onSessionClose(reason: CloseReason, description: Error | undefined): void;
}
