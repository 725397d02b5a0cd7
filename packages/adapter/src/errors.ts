// The adapter kit's errors: stable ADAPTER_ERR_* codes (documented in docs/errors.md, "Adapter errors").
import { SwitchboardError, nameErrorClass } from '@switchboard/protocol';

/** Every code an `AdapterError` can carry. */
export const AdapterErrorCode = {
  /** An adapter option is unusable (thrown at once by the constructor or factory). */
  INVALID_OPTION: 'ADAPTER_ERR_INVALID_OPTION',
  /** Another server did not answer a cluster request (fetchSockets, serverSideEmit with ack) in time. */
  REQUEST_TIMEOUT: 'ADAPTER_ERR_REQUEST_TIMEOUT',
  /** The broker client given to an adapter factory is not one the adapter supports (thrown at once). */
  UNSUPPORTED_CLIENT: 'ADAPTER_ERR_UNSUPPORTED_CLIENT',
  /** A stored message (a Redis stream entry) could not be decoded or handled: it was skipped and counted. */
  BAD_ENTRY: 'ADAPTER_ERR_BAD_ENTRY',
  /** The broker failed a command an operation needed (`cause` holds the client's error). */
  REDIS_UNAVAILABLE: 'ADAPTER_ERR_REDIS_UNAVAILABLE',
  /** The adapter was closed while a request was waiting for answers. */
  CLOSED: 'ADAPTER_ERR_CLOSED',
} as const;

/** One of the `ADAPTER_ERR_*` strings. */
export type AdapterErrorCodeValue = (typeof AdapterErrorCode)[keyof typeof AdapterErrorCode];

/** An error raised by a cluster adapter built on `@switchboard/adapter`. */
export class AdapterError extends SwitchboardError {
  static {
    nameErrorClass(this, 'AdapterError');
  }

  declare readonly code: AdapterErrorCodeValue;

  constructor(code: AdapterErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
