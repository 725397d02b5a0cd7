// The PostgreSQL adapter's errors: stable ADAPTER_ERR_* codes (documented in docs/errors.md, "PostgreSQL adapter errors").
import { SwitchboardError, nameErrorClass } from '@switchboard/protocol';

/** Every code a `PostgresAdapterError` can carry; both are thrown at once by `createAdapter`. */
export const PostgresAdapterErrorCode = {
  /** An option of `createAdapter` is unusable. */
  INVALID_OPTION: 'ADAPTER_ERR_INVALID_OPTION',
  /** The pool is not a `pg.Pool` (it has no `query` and `connect`). */
  UNSUPPORTED_CLIENT: 'ADAPTER_ERR_UNSUPPORTED_CLIENT',
} as const;

/** One of the codes of `PostgresAdapterErrorCode`. */
export type PostgresAdapterErrorCodeValue = (typeof PostgresAdapterErrorCode)[keyof typeof PostgresAdapterErrorCode];

/** An error raised by `@switchboard/postgres-adapter`. */
export class PostgresAdapterError extends SwitchboardError {
  static {
    nameErrorClass(this, 'PostgresAdapterError');
  }

  declare readonly code: PostgresAdapterErrorCodeValue;

  constructor(code: PostgresAdapterErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
