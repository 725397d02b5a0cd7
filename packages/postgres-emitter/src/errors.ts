// The PostgreSQL emitter's errors: stable ADAPTER_ERR_* codes (documented in docs/errors.md, "PostgreSQL emitter errors").
import { SwitchboardError, nameErrorClass } from '@switchboard/protocol';

/** Every code a `PostgresEmitterError` can carry; all are thrown at once by the call that was given bad input. */
export const PostgresEmitterErrorCode = {
  /** An option of `new Emitter` is unusable. */
  INVALID_OPTION: 'ADAPTER_ERR_INVALID_OPTION',
  /** The pool has no `query` method. */
  UNSUPPORTED_CLIENT: 'ADAPTER_ERR_UNSUPPORTED_CLIENT',
  /** `emit` was called with a name reserved by Socket.IO. */
  RESERVED_EVENT: 'ADAPTER_ERR_RESERVED_EVENT',
  /** `serverSideEmit` was given an acknowledgement callback: an emitter cannot receive answers. */
  ACK_UNSUPPORTED: 'ADAPTER_ERR_ACK_UNSUPPORTED',
} as const;

/** One of the codes of `PostgresEmitterErrorCode`. */
export type PostgresEmitterErrorCodeValue = (typeof PostgresEmitterErrorCode)[keyof typeof PostgresEmitterErrorCode];

/** An error raised by `@switchboard/postgres-emitter`. */
export class PostgresEmitterError extends SwitchboardError {
  static {
    nameErrorClass(this, 'PostgresEmitterError');
  }

  declare readonly code: PostgresEmitterErrorCodeValue;

  constructor(code: PostgresEmitterErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
