// The engine's error codes (EIO_ERR_*) and the HTTP-level error table of the Engine.IO protocol.
import { nameErrorClass, SwitchboardError } from '@switchboard/protocol';

/** Stable codes of the errors the engine creates; each is documented in docs/errors.md. */
export const EngineErrorCode = {
  /** An option passed to `new Server()`, `attach()` or `listen()` has a bad value. */
  INVALID_OPTION: 'EIO_ERR_INVALID_OPTION',
  /** A peer sent bytes the Engine.IO codec rejects; the session closes with `parse error`. */
  PARSE_ERROR: 'EIO_ERR_PARSE_ERROR',
  /** A v4 client sent a ping (or a v3 client a pong): heartbeats go the other way. */
  HEARTBEAT_DIRECTION: 'EIO_ERR_HEARTBEAT_DIRECTION',
  /** A second polling GET or POST arrived while one was still pending. */
  POLLING_OVERLAP: 'EIO_ERR_POLLING_OVERLAP',
  /** A v4 polling POST declared `application/octet-stream`, which only v3 may send. */
  INVALID_CONTENT_TYPE: 'EIO_ERR_INVALID_CONTENT_TYPE',
  /** A polling request or the WebSocket closed before the exchange finished. */
  TRANSPORT_CLOSED: 'EIO_ERR_TRANSPORT_CLOSED',
  /** The underlying socket reported an error (reset, write after end, oversize frame). */
  TRANSPORT_ERROR: 'EIO_ERR_TRANSPORT_ERROR',
  /** A polling POST carried more packets than `maxPacketsPerPayload`; it gets 400 and the session closes. */
  TOO_MANY_PACKETS: 'EIO_ERR_TOO_MANY_PACKETS',
  /** A polling POST body did not arrive within `httpRequestBodyTimeout`; it gets 408 and the session closes. */
  BODY_TIMEOUT: 'EIO_ERR_BODY_TIMEOUT',
  /** A polling POST body came in more chunks than `maxBufferedChunks`; it gets 413 and the session closes. */
  TOO_MANY_CHUNKS: 'EIO_ERR_TOO_MANY_CHUNKS',
  /** A client read so slowly that its connection stayed over `maxBufferedBytes`; closed with `transport buffer full`. */
  BUFFER_FULL: 'EIO_ERR_BUFFER_FULL',
} as const;

/** One of the `EIO_ERR_*` strings. */
export type EngineErrorCodeValue = (typeof EngineErrorCode)[keyof typeof EngineErrorCode];

/** An error raised by the Engine.IO server: bad options, or the cause of a `transport error` / `parse error` close. */
export class EngineError extends SwitchboardError {
  static {
    // A fixed name survives bundlers that rename classes.
    nameErrorClass(this, 'EngineError');
  }

  declare readonly code: EngineErrorCodeValue;

  constructor(code: EngineErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The numeric error codes of the polling/upgrade endpoint, as engine.io's `Server.errors` names them. */
export const HandshakeErrorCode = {
  UNKNOWN_TRANSPORT: 0,
  UNKNOWN_SID: 1,
  BAD_HANDSHAKE_METHOD: 2,
  BAD_REQUEST: 3,
  FORBIDDEN: 4,
  UNSUPPORTED_PROTOCOL_VERSION: 5,
} as const;

/** One of the numeric handshake error codes. */
export type HandshakeErrorCodeValue = (typeof HandshakeErrorCode)[keyof typeof HandshakeErrorCode];

/** The message that goes with each numeric code in the JSON error body, spelled as the protocol spells it. */
export const HANDSHAKE_ERROR_MESSAGES: Readonly<Record<HandshakeErrorCodeValue, string>> = {
  0: 'Transport unknown',
  1: 'Session ID unknown',
  2: 'Bad handshake method',
  3: 'Bad request',
  4: 'Forbidden',
  5: 'Unsupported protocol version',
};
