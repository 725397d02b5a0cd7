// The engine client's error codes and its TransportError (a transport failed to connect, poll or send).
import { SwitchboardError } from '@switchboard/protocol';

/** Stable codes of the errors the Engine.IO client reports; each is documented in docs/errors.md. */
export const EngineClientErrorCode = {
  /** A polling request or the WebSocket failed (network down, server refused, HTTP status not 200). */
  TRANSPORT: 'EIO_ERR_TRANSPORT',
  /** The upgrade probe failed; the connection stays on its current transport. */
  PROBE: 'EIO_ERR_PROBE',
  /** An option passed to `new Socket()` is invalid. */
  INVALID_OPTION: 'EIO_ERR_INVALID_OPTION',
} as const;

/** One of the `EIO_ERR_*` strings the client uses. */
export type EngineClientErrorCodeValue = (typeof EngineClientErrorCode)[keyof typeof EngineClientErrorCode];

/**
 * A transport failed. `message` keeps engine.io-client's words ('xhr poll error', 'websocket error') because
 * applications match on them; `description` holds the HTTP status or the underlying error.
 */
export class TransportError extends SwitchboardError {
  readonly type = 'TransportError';
  // `declare`: set in the constructor (or by the upgrade), so no field definitions are emitted (browser bytes).
  declare readonly description: unknown;
  declare readonly context: unknown;
  /** Name of the transport that failed (set on upgrade errors). */
  declare transport?: string;

  constructor(code: EngineClientErrorCodeValue, message: string, description?: unknown, context?: unknown) {
    super(code, message, description instanceof Error ? { cause: description } : undefined);
    this.description = description;
    this.context = context;
  }
}
