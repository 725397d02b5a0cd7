// The client's error codes (SIO_ERR_*): what connect_error, rejected acks and bad arguments carry.
import { SwitchboardError } from '@switchboard/protocol';

/** Stable codes of the client's errors; each is documented in docs/errors.md. */
export const ClientErrorCode = {
  /** No acknowledgement within `timeout(ms)` / `ackTimeout`. */
  ACK_TIMEOUT: 'SIO_ERR_ACK_TIMEOUT',
  /** The socket disconnected while an error-first acknowledgement was pending. */
  SOCKET_DISCONNECTED: 'SIO_ERR_SOCKET_DISCONNECTED',
  /** The Engine.IO connection did not open within the Manager's `timeout`. */
  CONNECT_TIMEOUT: 'SIO_ERR_CONNECT_TIMEOUT',
  /** The server refused the namespace (middleware `next(err)` or unknown namespace). */
  CONNECT_REFUSED: 'SIO_ERR_CONNECT_REFUSED',
  /** The server answered CONNECT without a session id: a Socket.IO v2 server. */
  UNSUPPORTED_SERVER: 'SIO_ERR_UNSUPPORTED_SERVER',
  /** `emit` was called with a reserved event name. */
  RESERVED_EVENT: 'SIO_ERR_RESERVED_EVENT',
} as const;

/** One of the client's `SIO_ERR_*` strings. */
export type ClientErrorCodeValue = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** An error raised by the client; `data` is what the server attached to a refused connection. */
export class ClientError extends SwitchboardError {
  declare readonly code: ClientErrorCodeValue;
  /** The `data` of the server's CONNECT_ERROR (e.g. `err.data` given to middleware `next(err)`). */
  declare data?: unknown;

  constructor(code: ClientErrorCodeValue, message: string, data?: unknown) {
    super(code, message);
    if (data !== undefined) this.data = data;
  }
}
