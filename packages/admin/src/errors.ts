// The admin package's errors: stable ADMIN_ERR_* codes (documented in docs/errors.md, "Admin errors").
import { SwitchboardError, nameErrorClass } from '@switchboard/protocol';

/** Every code an `AdminError` can carry. */
export const AdminErrorCode = {
  /** An `instrument()` option is missing or unusable (thrown at once). */
  INVALID_OPTION: 'ADMIN_ERR_INVALID_OPTION',
  /** A dashboard connected with a wrong username or password (its `connect_error`). */
  INVALID_CREDENTIALS: 'ADMIN_ERR_INVALID_CREDENTIALS',
  /** A dashboard's address made too many login attempts and must wait (its `connect_error`, with `retryAfterMs`). */
  TOO_MANY_ATTEMPTS: 'ADMIN_ERR_TOO_MANY_ATTEMPTS',
} as const;

export type AdminErrorCodeValue = (typeof AdminErrorCode)[keyof typeof AdminErrorCode];

/** An error raised by `@switchboard/admin`. */
export class AdminError extends SwitchboardError {
  static {
    nameErrorClass(this, 'AdminError');
  }

  declare readonly code: AdminErrorCodeValue;
  /** Sent to the dashboard with `connect_error` (socket.io passes `err.data` through). */
  readonly data: { code: AdminErrorCodeValue; retryAfterMs?: number } | undefined;

  constructor(code: AdminErrorCodeValue, message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(code, message, options);
    if (code === AdminErrorCode.TOO_MANY_ATTEMPTS) this.data = { code, retryAfterMs: options?.retryAfterMs ?? 0 };
    else this.data = code === AdminErrorCode.INVALID_CREDENTIALS ? { code } : undefined;
  }
}
