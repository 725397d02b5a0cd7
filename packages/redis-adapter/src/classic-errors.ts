// The Redis adapter's errors: stable ADAPTER_ERR_* codes (documented in docs/errors.md, "Redis adapter errors").
import { SwitchboardError, nameErrorClass } from '@switchboard/protocol';

/** Every code a `RedisAdapterError` can carry. */
export const RedisAdapterErrorCode = {
  /** An option of `createAdapter` is unusable (thrown at once). */
  INVALID_OPTION: 'ADAPTER_ERR_INVALID_OPTION',
  /** The Redis client is neither node-redis (v4/v5) nor ioredis (thrown at once). */
  UNSUPPORTED_CLIENT: 'ADAPTER_ERR_UNSUPPORTED_CLIENT',
  /** Other servers did not all answer a request within `requestsTimeout`. */
  REQUEST_TIMEOUT: 'ADAPTER_ERR_REQUEST_TIMEOUT',
  /** Redis refused or failed a command the request needed (`cause` holds the client's error). */
  REDIS_UNAVAILABLE: 'ADAPTER_ERR_REDIS_UNAVAILABLE',
  /** The adapter was closed while a request was waiting for answers. */
  CLOSED: 'ADAPTER_ERR_CLOSED',
} as const;

export type RedisAdapterErrorCodeValue = (typeof RedisAdapterErrorCode)[keyof typeof RedisAdapterErrorCode];

/** An error raised by `@switchboard/redis-adapter`. */
export class RedisAdapterError extends SwitchboardError {
  static {
    nameErrorClass(this, 'RedisAdapterError');
  }

  declare readonly code: RedisAdapterErrorCodeValue;

  constructor(code: RedisAdapterErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
