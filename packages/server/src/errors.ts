// The Socket.IO server's error codes (SIO_ERR_*) and the error class that carries them; see docs/errors.md.
import { nameErrorClass, SwitchboardError } from '@switchboard/protocol';

/** Stable codes of the errors the Socket.IO server throws or hands to callbacks. */
export const ServerErrorCode = {
  /** An option or argument given to the server API is invalid. */
  INVALID_OPTION: 'SIO_ERR_INVALID_OPTION',
  /** `emit` was called with a reserved event name (connect, disconnect, ...). */
  RESERVED_EVENT: 'SIO_ERR_RESERVED_EVENT',
  /** An acknowledgement did not arrive within the `timeout(ms)` given. */
  ACK_TIMEOUT: 'SIO_ERR_ACK_TIMEOUT',
  /** A broadcast was given an acknowledgement callback without `timeout(ms)`. */
  BROADCAST_ACK_UNSUPPORTED: 'SIO_ERR_BROADCAST_ACK_UNSUPPORTED',
  /** A socket was disconnected before its acknowledgement arrived. */
  SOCKET_DISCONNECTED: 'SIO_ERR_SOCKET_DISCONNECTED',
  /** `socket.join` would put the socket in more rooms than `maxRoomsPerSocket`. */
  TOO_MANY_ROOMS: 'SIO_ERR_TOO_MANY_ROOMS',
  /** An emit with an acknowledgement while `maxPendingAcks` acknowledgements of that socket are awaited. */
  TOO_MANY_PENDING_ACKS: 'SIO_ERR_TOO_MANY_PENDING_ACKS',
  /** A client sent a packet over the `rateLimit` option's allowance; the packet was dropped. */
  RATE_LIMITED: 'SIO_ERR_RATE_LIMITED',
} as const;

/** One of the `SIO_ERR_*` strings. */
export type ServerErrorCodeValue = (typeof ServerErrorCode)[keyof typeof ServerErrorCode];

/** An error raised by the Socket.IO server: a stable `SIO_ERR_*` code and a message. */
export class ServerError extends SwitchboardError {
  declare readonly code: ServerErrorCodeValue;

  static {
    // Named once, explicitly: a bundler that minifies class names must not turn `name` into 'e'.
    nameErrorClass(this, 'ServerError');
  }

  constructor(code: ServerErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * The error a middleware passes to `next(err)`: its `message` and `data` reach the client as `connect_error`.
 * Any Error works; this class only types the `data` field.
 */
export interface ExtendedError extends Error {
  data?: unknown;
}
