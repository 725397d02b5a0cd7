// The Redis emitter's errors: stable ADAPTER_ERR_* codes (documented in docs/errors.md, "Redis emitter errors").
import { SwitchboardError, nameErrorClass } from '@switchboard/protocol';

/** Every code an `EmitterError` can carry; all are thrown at once by the call that was given bad input. */
export const EmitterErrorCode = {
  /** An option of `new Emitter` is unusable. */
  INVALID_OPTION: 'ADAPTER_ERR_INVALID_OPTION',
  /** The Redis client has no `publish` method (neither node-redis nor ioredis). */
  UNSUPPORTED_CLIENT: 'ADAPTER_ERR_UNSUPPORTED_CLIENT',
  /** `emit` was called with a name reserved by Socket.IO. */
  RESERVED_EVENT: 'ADAPTER_ERR_RESERVED_EVENT',
  /** `serverSideEmit` was given an acknowledgement callback: an emitter cannot receive answers. */
  ACK_UNSUPPORTED: 'ADAPTER_ERR_ACK_UNSUPPORTED',
} as const;

export type EmitterErrorCodeValue = (typeof EmitterErrorCode)[keyof typeof EmitterErrorCode];

/** An error raised by `@switchboard/redis-emitter`. */
export class EmitterError extends SwitchboardError {
  static {
    nameErrorClass(this, 'EmitterError');
  }

  declare readonly code: EmitterErrorCodeValue;

  constructor(code: EmitterErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
